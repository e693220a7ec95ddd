#!/usr/bin/env bash
# Usage kept as the catalog changes, checked against a full recount: CHANGES changes (default 100,000) sent to
# metadata-service itself (registrations that create or overwrite, deletes and copies, by two owners, into a plain and
# a versioned bucket), then each bucket's and owner's usage as metadata-service answers it beside a recount by SQL.
# Runs against `./stowage dev` (metadata-service on :8081, PostgreSQL on :5433), loopback only; stops by itself.
# Usage: benchmarks/catalog/usage.sh [CHANGES (100000)] [CONNECTIONS (16)]
# Needs curl, jq, psql and a JDK (the load is UsageChanges.java).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CHANGES=${1:-100000}
CONNS=${2:-16}
[ -f "$ROOT/.stowage/dev.env" ] || { echo "start ./stowage dev first" >&2; exit 1; }
set -a; . "$ROOT/.stowage/dev.env"; set +a
for tool in curl jq psql bc; do command -v $tool >/dev/null || { echo "$tool is required" >&2; exit 1; }; done
METADATA=${METADATA_URL:-http://localhost:8081}
PSQL="psql -h 127.0.0.1 -p ${PG_PORT:-5433} -U postgres -d postgres -At"

stamp=$(date +%s)
plain="usage-$stamp"
versioned="usage-v-$stamp"
for spec in "{\"name\":\"$plain\"}" "{\"name\":\"$versioned\",\"versioned\":true}"; do
  curl -fsS -o /dev/null -X POST "$METADATA/v1/buckets" -H "Authorization: Bearer $STOWAGE_ADMIN_TOKEN" \
    -H 'Content-Type: application/json' -d "$spec"
done

JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
echo "usage after $CHANGES changes to metadata-service ($CONNS callers), buckets $plain and $versioned"
read -r sent refused seconds < <("$JAVA" "$ROOT/benchmarks/catalog/UsageChanges.java" "$CHANGES" "$CONNS" "$METADATA" \
  "$plain" "$versioned" "$STOWAGE_ALICE_TOKEN" "$STOWAGE_BOB_TOKEN")
printf 'changes sent: %s in %s s (%.0f/s), refused by the catalog: %s\n' "$sent" "$seconds" "$(echo "$sent / $seconds" | bc -l)" "$refused"

# what counts, as the catalog defines it: every stored version holding its blob (current objects and kept versions)
recount_where="(deleted_at IS NULL OR retained) AND NOT delete_marker"
ok=yes
for bucket in "$plain" "$versioned"; do
  kept=$(curl -fsS "$METADATA/v1/buckets/$bucket/usage" -H "Authorization: Bearer $STOWAGE_ADMIN_TOKEN" | jq -r '"\(.bytes) \(.objects)"')
  counted=$($PSQL -c "SELECT COALESCE(sum(size),0) || ' ' || count(*) FROM objects WHERE bucket = '$bucket' AND $recount_where")
  [ "$kept" = "$counted" ] || ok=no
  printf '%-22s kept %-24s recount %-24s %s\n' "$bucket" "$kept" "$counted" "$([ "$kept" = "$counted" ] && echo equal || echo DIFFERENT)"
done
for owner in alice bob; do
  token=STOWAGE_$(echo $owner | tr a-z A-Z)_TOKEN
  kept=$(curl -fsS "$METADATA/v1/usage?owner=$owner" -H "Authorization: Bearer $STOWAGE_ADMIN_TOKEN" | jq -r '"\(.bytes) \(.objects)"')
  counted=$($PSQL -c "SELECT COALESCE(sum(size),0) || ' ' || count(*) FROM objects WHERE owner = '$owner' AND $recount_where")
  [ "$kept" = "$counted" ] || ok=no
  printf 'owner %-16s kept %-24s recount %-24s %s\n' "$owner" "$kept" "$counted" "$([ "$kept" = "$counted" ] && echo equal || echo DIFFERENT)"
done
echo "usage equal to a full recount: $ok"
[ "$ok" = yes ]
