#!/usr/bin/env bash
# Hot paths against their floor, each pair measured in one run with the same tool: small GETs and PUTs
# (S3 presigned vs the gateway), the presigned three-step upload, catalog reads (metadata-service
# directly vs through the gateway), large objects both ways, and a cached image variant; then each
# service's RSS (now and peak). Runs against `./stowage dev` started with the rate limits off:
#   STOWAGE_RATE_LIMIT_CALLER_PER_SECOND=0 STOWAGE_RATE_LIMIT_IP_PER_SECOND=0 ./stowage dev
# Usage: benchmarks/hotpaths/bench.sh [SECONDS per measure (10)] [CONNECTIONS (16)] [LARGE_MiB (256)]
# Needs wrk, curl, jq. Loopback only; stops by itself.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECS=${1:-10}
CONNS=${2:-16}
LARGE_MIB=${3:-256}
[ -f "$ROOT/.stowage/dev.env" ] || { echo "start ./stowage dev first" >&2; exit 1; }
set -a; . "$ROOT/.stowage/dev.env"; set +a
for tool in wrk curl jq; do command -v $tool >/dev/null || { echo "$tool is required (apt-get install $tool)" >&2; exit 1; }; done
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
METADATA=http://localhost:8081
AUTH="Authorization: Bearer $STOWAGE_ALICE_TOKEN"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export BENCH_DIR=$W

# wrk for $SECS s at $CONNS connections; prints "<req/s> <p99 ms>"
measure() {
  local out
  out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$@" 2>&1)
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}')
  local non2xx
  non2xx=$(echo "$out" | awk '/Non-2xx/{print $NF}')
  echo "${rps:-0} ${p99:-0} ${non2xx:-0}"
}

pair() { # name, floor-label, floor "rps p99 errs", ours-label, ours "rps p99 errs"
  local name=$1 fl=$2 f=($3) ol=$4 o=($5)
  printf '%-34s %-26s %9.0f req/s p99 %7.1f ms | %-28s %9.0f req/s p99 %7.1f ms (non-2xx %s) | ratio %.2f\n' \
    "$name" "$fl" "${f[0]}" "${f[1]}" "$ol" "${o[0]}" "${o[1]}" "${o[2]}" "$(awk "BEGIN{print ${o[0]}/(${f[0]}>0?${f[0]}:1)}")"
}

bucket="hot-$(date +%s)"
curl -fsS -o /dev/null -X POST "$STOWAGE_URL/v1/buckets" -H "Authorization: Bearer $STOWAGE_ADMIN_TOKEN" \
  -H 'Content-Type: application/json' -d "{\"name\":\"$bucket\",\"public\":true}"
head -c 1024 /dev/urandom > "$W/1k.bin"
file=$(curl -fsS -X PUT "$STOWAGE_URL/v1/objects/$bucket/small.bin" -H "$AUTH" -H 'Content-Type: application/octet-stream' --data-binary @"$W/1k.bin")
id=$(echo "$file" | jq -r .id)
s3_get=$(curl -fsS -o /dev/null -w '%{redirect_url}' "$STOWAGE_URL/v1/files/$id/download" -H "$AUTH")
[ -n "$s3_get" ] || { echo "no presigned GET URL from /v1/files/$id/download" >&2; exit 1; }

# the JIT compiles the hot paths first: a freshly started platform measures at a fraction of its speed
warm() { wrk -t2 -c"$CONNS" -d"${WARM_SECS:-8}s" "$@" >/dev/null 2>&1 || true; }
echo "warming up (${WARM_SECS:-8} s per path; WARM_SECS=0 to skip)"
if [ "${WARM_SECS:-8}" != 0 ]; then
  warm "$s3_get"
  warm "$STOWAGE_URL/v1/public/$bucket/small.bin"
  warm -H "$AUTH" "$STOWAGE_URL/v1/objects/$bucket/small.bin"
  warm "$STOWAGE_URL/storage/v1/object/public/$bucket/small.bin"
  warm -H "$AUTH" "$METADATA/v1/files/$id"
  warm -H "$AUTH" "$STOWAGE_URL/v1/files/$id"
fi

echo "hot paths: ${SECS}s per measure, $CONNS connections, wrk -t2; floor on the left"

# 1. small GETs
get_floor=$(measure "$s3_get")
pair "GET 1 KiB, public" "S3 presigned GET" "$get_floor" "gateway /v1/public" "$(measure "$STOWAGE_URL/v1/public/$bucket/small.bin")"
pair "GET 1 KiB, authenticated" "S3 presigned GET" "$get_floor" "gateway /v1/objects" "$(measure -H "$AUTH" "$STOWAGE_URL/v1/objects/$bucket/small.bin")"
pair "GET 1 KiB, Supabase public" "S3 presigned GET" "$get_floor" "gateway object/public" "$(measure "$STOWAGE_URL/storage/v1/object/public/$bucket/small.bin")"

# 2. small PUTs: the same presigned URL again and again vs new names through the gateway
pre=$(curl -fsS -X POST "$STOWAGE_URL/v1/files/presigned-url" -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"bucket\":\"$bucket\",\"path\":\"pre.bin\",\"contentType\":\"application/octet-stream\",\"size\":1024}")
echo "$pre" | jq -r '.headers // {} | to_entries[] | "\(.key)\t\(.value)"' > "$W/pre-headers.tsv"
cat > "$W/put-s3.lua" <<LUA
wrk.method = "PUT"
local f = io.open("$W/1k.bin", "rb"); wrk.body = f:read("*a"); f:close()
for line in io.lines("$W/pre-headers.tsv") do
  local k, v = line:match("([^\t]+)\t(.*)")
  if k:lower() ~= "host" and k:lower() ~= "content-length" then wrk.headers[k] = v end
end
LUA
cat > "$W/put-gw.lua" <<LUA
local counter = 0
local id = 0
function setup(thread) id = id + 1; thread:set("tid", id) end
local f = io.open("$W/1k.bin", "rb"); local body = f:read("*a"); f:close()
function request()
  counter = counter + 1
  -- the time in the name: the warm-up and the measure (separate wrk runs) never write the same names
  return wrk.format("PUT", "/v1/objects/$bucket/put/" .. tid .. "-" .. os.time() .. "-" .. counter .. "-" .. math.random(1, 1000000000) .. ".bin",
    { ["Authorization"] = "Bearer $STOWAGE_ALICE_TOKEN", ["Content-Type"] = "application/octet-stream" }, body)
end
LUA
[ "${WARM_SECS:-8}" = 0 ] || { warm -s "$W/put-s3.lua" "$(echo "$pre" | jq -r .url)"; warm -s "$W/put-gw.lua" "$STOWAGE_URL"; }
put_floor=$(measure -s "$W/put-s3.lua" "$(echo "$pre" | jq -r .url)")
pair "PUT 1 KiB, new names" "S3 presigned PUT" "$put_floor" "gateway PUT /v1/objects" "$(measure -s "$W/put-gw.lua" "$STOWAGE_URL")"

# 3. the presigned three-step flow (URL, PUT, register) in flows/s against S3's PUT rate, both by one Java client
"$JAVA" "$ROOT/benchmarks/hotpaths/ThreeStep.java" flows "$STOWAGE_URL" "$STOWAGE_ALICE_TOKEN" "$bucket" "$SECS" "$CONNS"

# 4. catalog reads
pair "GET /v1/files/{id}" "metadata-service directly" "$(measure -H "$AUTH" "$METADATA/v1/files/$id")" \
  "gateway /v1/files/{id}" "$(measure -H "$AUTH" "$STOWAGE_URL/v1/files/$id")"

# 5. a cached image variant (a PNG stored once; the first request renders and stores the variant)
"$JAVA" "$ROOT/benchmarks/hotpaths/ThreeStep.java" png "$W/pic.png" >/dev/null
curl -fsS -o /dev/null -X PUT "$STOWAGE_URL/v1/objects/$bucket/pic.png" -H "$AUTH" -H 'Content-Type: image/png' --data-binary @"$W/pic.png"
variant="$STOWAGE_URL/storage/v1/render/image/public/$bucket/pic.png?width=64&height=48"
curl -fsS -o /dev/null "$variant"
[ "${WARM_SECS:-8}" = 0 ] || warm -H 'Accept: image/webp' "$variant"
pair "cached image variant (3000/s goal)" "S3 presigned GET 1 KiB" "$get_floor" "gateway render/image" "$(measure -H 'Accept: image/webp' "$variant")"

# 6. large objects both ways
size=$((LARGE_MIB * 1024 * 1024))
head -c "$size" /dev/urandom > "$W/large.bin"
up=$(curl -fsS -X POST "$STOWAGE_URL/v1/files/presigned-url" -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"bucket\":\"$bucket\",\"path\":\"large-pre.bin\",\"contentType\":\"application/octet-stream\",\"size\":$size}")
s3_up=$(curl -fsS -o /dev/null -w '%{speed_upload}' -X PUT "$(echo "$up" | jq -r .url)" -H 'Content-Type: application/octet-stream' -T "$W/large.bin")
gw_up=$(curl -fsS -o /dev/null -w '%{speed_upload}' -X PUT "$STOWAGE_URL/v1/objects/$bucket/large.bin" -H "$AUTH" \
  -H 'Content-Type: application/octet-stream' -T "$W/large.bin")
rm -f "$W/large.bin"
large_id=$(curl -fsS "$STOWAGE_URL/v1/files/by-path/$bucket/large.bin" -H "$AUTH" | jq -r .id)
large_get=$(curl -fsS -o /dev/null -w '%{redirect_url}' "$STOWAGE_URL/v1/files/$large_id/download" -H "$AUTH")
s3_down=$(curl -fsS -o /dev/null -w '%{speed_download}' "$large_get")
gw_down=$(curl -fsS -o /dev/null -w '%{speed_download}' "$STOWAGE_URL/v1/objects/$bucket/large.bin" -H "$AUTH")
mib() { awk "BEGIN{printf \"%.0f\", $1/1048576}"; }
printf '%-34s %-26s %9s MiB/s            | %-28s %9s MiB/s                         | ratio %.2f\n' "${LARGE_MIB} MiB download" "S3 presigned GET" "$(mib "$s3_down")" \
  "gateway /v1/objects" "$(mib "$gw_down")" "$(awk "BEGIN{print $gw_down/$s3_down}")"
printf '%-34s %-26s %9s MiB/s            | %-28s %9s MiB/s                         | ratio %.2f\n' "${LARGE_MIB} MiB upload" "S3 presigned PUT" "$(mib "$s3_up")" \
  "gateway PUT /v1/objects" "$(mib "$gw_up")" "$(awk "BEGIN{print $gw_up/$s3_up}")"

# 7. each service's memory after the run
for service in gateway-service metadata-service upload-service signing-service image-service; do
  pid=$(pgrep -f "$service/target/quarkus-app/quarkus-run.jar" | head -1 || true)
  [ -n "$pid" ] || continue
  printf '%-18s RSS now %5s MiB, peak %5s MiB\n' "$service" "$(awk '/VmRSS/{printf "%.0f", $2/1024}' /proc/$pid/status)" \
    "$(awk '/VmHWM/{printf "%.0f", $2/1024}' /proc/$pid/status)"
done
