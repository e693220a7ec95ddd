#!/usr/bin/env bash
# Gateway benchmark against a running `./stowage dev` (start it with STOWAGE_GATEWAY_HEAP=128m to
# cap the gateway's heap, and STOWAGE_RATE_LIMIT_CALLER_PER_SECOND=0 STOWAGE_RATE_LIMIT_IP_PER_SECOND=0
# so that wrk measures the gateway rather than its rate limiter): a large download through the gateway vs straight from S3 with a presigned
# URL (throughput, ratio, the gateway's peak RSS), then metadata reads through the gateway with wrk
# at 64 connections (requests/s, p99). Loopback only; stops by itself.
# Usage: benchmarks/gateway/bench.sh [SIZE_MiB (default 1024)] [WRK_SECONDS (default 15)]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SIZE_MIB=${1:-1024}
WRK_SECONDS=${2:-15}
[ -f "$ROOT/.stowage/dev.env" ] || { echo "start ./stowage dev first" >&2; exit 1; }
set -a; . "$ROOT/.stowage/dev.env"; set +a
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
GW_PID=$(pgrep -f 'gateway-service/target/quarkus-app/quarkus-run.jar' | head -1)
AUTH="Authorization: Bearer $STOWAGE_ALICE_TOKEN"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

bucket="bench-$(date +%s)"
curl -fsS -o /dev/null -X POST "$STOWAGE_URL/v1/buckets" -H "Authorization: Bearer $STOWAGE_ADMIN_TOKEN" \
  -H 'Content-Type: application/json' -d "{\"name\":\"$bucket\"}"
size=$((SIZE_MIB * 1024 * 1024))
head -c "$size" /dev/urandom > "$WORK/blob.bin"
up=$(curl -fsS -X POST "$STOWAGE_URL/v1/files/presigned-url" -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"bucket\":\"$bucket\",\"path\":\"big.bin\",\"contentType\":\"application/octet-stream\",\"size\":$size}")
curl -fsS -o /dev/null -X PUT "$(echo "$up" | jq -r .url)" -H 'Content-Type: application/octet-stream' -T "$WORK/blob.bin"
file=$(curl -fsS -X POST "$STOWAGE_URL/v1/files" -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"uploadId\":\"$(echo "$up" | jq -r .uploadId)\"}")
id=$(echo "$file" | jq -r .id)
rm -f "$WORK/blob.bin"

direct_url=$(curl -fsS -o /dev/null -w '%{redirect_url}' "$STOWAGE_URL/v1/files/$id/download" -H "$AUTH")
for run in 1 2; do
  direct=$(curl -fsS -o /dev/null -w '%{speed_download}' "$direct_url")
  via=$(curl -fsS -o /dev/null -w '%{speed_download}' "$STOWAGE_URL/v1/objects/$bucket/big.bin" -H "$AUTH")
  echo "run $run: ${SIZE_MIB} MiB straight from S3: $(awk "BEGIN{printf \"%.1f\", $direct/1048576}") MiB/s; through the gateway: $(awk "BEGIN{printf \"%.1f\", $via/1048576}") MiB/s; ratio gateway/direct: $(awk "BEGIN{printf \"%.2f\", $via/$direct}")"
done
echo "gateway peak RSS (VmHWM): $(awk '/VmHWM/{printf "%.0f MiB", $2/1024}' /proc/"$GW_PID"/status); heap cap: $(tr '\0' ' ' < /proc/"$GW_PID"/cmdline | grep -o -- '-Xmx[^ ]*')"

echo "metadata reads through the gateway (GET /v1/files/{id}), wrk -t2 -c64 -d${WRK_SECONDS}s:"
wrk -t2 -c64 -d"${WRK_SECONDS}s" --latency -H "$AUTH" "$STOWAGE_URL/v1/files/$id" | grep -E 'Requests/sec|99%|Non-2xx|Socket errors' || true
