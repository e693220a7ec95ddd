#!/usr/bin/env bash
# Image benchmark, one run:
#  1. engine: a 4000x3000 JPEG to 300x200 WebP, JPEG and AVIF with image-service's pipeline (libvips via
#     FFM) and with sharp, same file, same run: medians and the ratio (EngineBench);
#  2. service: requests per second through image-service with 16 concurrent clients (wrk), uncached
#     (every request a new variant: fetch from S3, render, store) and cached (the same variant from S3).
# The service runs as its packaged jar on real local infrastructure (local-infra: S3Proxy, Kafka, issuer)
# with metadata-service stood in by a small stub that answers the one by-path lookup. Loopback only.
# Usage: benchmarks/images/bench.sh [ITERATIONS (default 15)] [WRK_SECONDS (default 15)]
# Needs: ./mvnw -f image-service/pom.xml install -DskipTests, ./mvnw -f local-infra/pom.xml package,
#        ./mvnw -f benchmarks/images/pom.xml package, (cd benchmarks/images/sharp && npm install), wrk, python3.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/benchmarks/images"
ITERATIONS=${1:-15}
WRK_SECONDS=${2:-15}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
VERSION=0.1.0-SNAPSHOT
for needed in "$HERE/target/images-benchmarks.jar" "$ROOT/image-service/target/quarkus-app/quarkus-run.jar" \
              "$ROOT/local-infra/target/local-infra-$VERSION.jar" "$HERE/sharp/node_modules/sharp"; do
  [ -e "$needed" ] || { echo "missing $needed (see Needs: above)" >&2; exit 1; }
done
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

echo "== engine: image-service's pipeline vs sharp (one libvips thread each) =="
(cd "$HERE" && "$JAVA" --enable-native-access=ALL-UNNAMED -jar target/images-benchmarks.jar "$ITERATIONS" sharp 2>/dev/null)

echo "== service: requests per second, 16 concurrent clients =="
"$JAVA" -Xmx384m -cp "$ROOT/local-infra/target/local-infra-$VERSION.jar:$ROOT/local-infra/target/lib/*" io.stowage.infra.LocalInfra \
  --data "$WORK/data" --env-file "$WORK/infra.env" --pg-port 25433 --kafka-port 29092 --s3-port 29000 --issuer-port 28090 \
  > "$WORK/infra.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 600); do [ -f "$WORK/infra.env" ] && break; sleep 0.3; done
[ -f "$WORK/infra.env" ] || { tail -20 "$WORK/infra.log" >&2; exit 1; }
set -a; . "$WORK/infra.env"; set +a

"$JAVA" -cp "$HERE/target/images-benchmarks.jar" io.stowage.bench.images.SourceImage "$WORK/photo.jpg"
blob_key="blobs/bench-$(date +%s)"
"$JAVA" -cp "$ROOT/local-infra/target/lib/*" "$HERE/scripts/UploadSource.java" "$WORK/photo.jpg" "$blob_key" > "$WORK/upload.log" 2>&1 || { cat "$WORK/upload.log" >&2; exit 1; }
python3 "$HERE/metadata_stub.py" 28081 "$blob_key" "$(stat -c %s "$WORK/photo.jpg")" &
PIDS+=($!)

STOWAGE_METADATA_URL=http://127.0.0.1:28081 QUARKUS_HTTP_PORT=28084 STOWAGE_MANAGEMENT_PORT=29084 \
  "$JAVA" -Xmx512m --enable-native-access=ALL-UNNAMED -jar "$ROOT/image-service/target/quarkus-app/quarkus-run.jar" \
  > "$WORK/image-service.log" 2>&1 &
IMG_PID=$!
PIDS+=($IMG_PID)
for _ in $(seq 1 300); do curl -fsS -o /dev/null http://127.0.0.1:29084/q/health/ready 2>/dev/null && break; sleep 0.3; done
curl -fsS -o /dev/null http://127.0.0.1:29084/q/health/ready || { tail -30 "$WORK/image-service.log" >&2; exit 1; }
curl -fsS -o /dev/null "http://127.0.0.1:28084/img/unsafe/300x200/filters:format(webp)/bench/photo.jpg"
echo "source: 4000x3000 JPEG, $(( $(stat -c %s "$WORK/photo.jpg") / 1024 )) KB; $(nproc) cores; render workers = cores"

echo "-- uncached (each request a new 4000x3000 -> ~400x200 WebP variant: S3 read, render, S3 write) --"
wrk -t2 -c16 -d"${WRK_SECONDS}s" --latency -s "$HERE/requests.lua" http://127.0.0.1:28084 \
  | grep -E 'Requests/sec|Latency  |50%|99%|Non-2xx|Socket errors' || true
echo "-- cached (the same variant, read from S3) --"
wrk -t2 -c16 -d"${WRK_SECONDS}s" --latency "http://127.0.0.1:28084/img/unsafe/300x200/filters:format(webp)/bench/photo.jpg" \
  | grep -E 'Requests/sec|Latency  |50%|99%|Non-2xx|Socket errors' || true
echo "image-service peak RSS (VmHWM): $(awk '/VmHWM/{printf "%.0f MiB", $2/1024}' /proc/$IMG_PID/status)"
