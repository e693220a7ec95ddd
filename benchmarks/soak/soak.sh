#!/usr/bin/env bash
# Soak: mixed load against a running `./stowage dev` for a while (default 10 minutes), printing each
# minute the answers by status (goal: no errors), p50/p99 per operation, and each service's RSS (goal:
# flat after warm-up). Start the platform with the rate limits off, so that the soak measures Stowage
# rather than its limiter:
#   STOWAGE_RATE_LIMIT_CALLER_PER_SECOND=0 STOWAGE_RATE_LIMIT_IP_PER_SECOND=0 ./stowage dev
# Usage: benchmarks/soak/soak.sh [MINUTES (default 10)] [WORKERS (default 8)]
# Loopback only; stops by itself.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$ROOT/.stowage/dev.env" ] || { echo "start ./stowage dev first" >&2; exit 1; }
set -a; . "$ROOT/.stowage/dev.env"; set +a
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
exec "$JAVA_HOME/bin/java" -Xmx256m "$ROOT/benchmarks/soak/Soak.java" "${1:-10}" "${2:-8}"
