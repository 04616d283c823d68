#!/usr/bin/env bash
# The region router's overhead (RouterBench.java), in one run on one machine: a fresh embedded demo node, the
# router in front of it, and the same GET /v1/patients/{id} sent straight to the node and through the router,
# interleaved. Quotas are off on the node, so both paths measure the request path alone.
# BENCH_SECONDS (20) per measurement (two per path), BENCH_WARMUP (20) per path, BENCH_CONNECTIONS (32).
# BENCH_JAVA_OPTS for both processes (default: jvm.options, as run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
DATA=$(mktemp -d)
NODE_PORT=${BENCH_PORT:-18080}
ROUTER_PORT=${BENCH_ROUTER_PORT:-18000}
JAVA_OPTS=${BENCH_JAVA_OPTS:-$(sed 's/#.*//' jvm.options | xargs)}
CADUCEUS_DATA_DIR=$DATA CADUCEUS_HTTP_PORT=$NODE_PORT CADUCEUS_ACCESS_LOG=false CADUCEUS_QUOTAS=false \
  java $JAVA_OPTS -jar api/target/caduceus.jar > "$DATA/node.log" 2>&1 &
NODE=$!
trap 'kill $NODE ${ROUTER:-} 2>/dev/null || true; wait 2>/dev/null; rm -rf "$DATA"' EXIT
ready() { # url pid log
  for _ in $(seq 1 120); do
    curl -sf "$1" >/dev/null && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 1
  done
  echo "not ready: $1"; tail -20 "$3"; exit 1
}
ready "http://127.0.0.1:$NODE_PORT/health/ready" $NODE "$DATA/node.log"
# The embedded PostgreSQL picked its own port; the router reads the control plane there, as the app role.
PG_PORT=$(sed -n 4p "$DATA/postgres/pgdata/postmaster.pid")
CADUCEUS_ROUTER_PORT=$ROUTER_PORT CADUCEUS_ROUTER_NODES="us=http://127.0.0.1:$NODE_PORT;eu=http://127.0.0.1:$NODE_PORT" \
CADUCEUS_GLOBAL_DB_URL="postgresql://caduceus_app@127.0.0.1:$PG_PORT/caduceus_global" \
  java $JAVA_OPTS -jar api/target/caduceus.jar router > "$DATA/router.log" 2>&1 &
ROUTER=$!
ready "http://127.0.0.1:$ROUTER_PORT/router/health" $ROUTER "$DATA/router.log"
echo "$(nproc) cores; node, router, PostgreSQL and the load driver share them"
java -cp api/target/caduceus.jar bench/RouterBench.java "http://127.0.0.1:$NODE_PORT" \
  "http://127.0.0.1:$ROUTER_PORT" "${BENCH_SECONDS:-20}" "${BENCH_WARMUP:-20}" "${BENCH_CONNECTIONS:-32}"
