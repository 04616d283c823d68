#!/usr/bin/env bash
# The noisy-neighbour benchmark (NoisyNeighbour.java) against a fresh embedded demo node: tenant B's steady load
# alone, then while tenant A floods at ten times its quota, then while A floods with its quota lifted.
# BENCH_SECONDS (30) per phase; -Db.rate (20) and -Da.quota (50) through BENCH_JAVA_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
DATA=$(mktemp -d)
PORT=${BENCH_PORT:-18080}
CADUCEUS_DATA_DIR=$DATA CADUCEUS_HTTP_PORT=$PORT CADUCEUS_ACCESS_LOG=false \
  java ${BENCH_JAVA_OPTS:-$(sed 's/#.*//' jvm.options | xargs)} -jar api/target/caduceus.jar > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 1; done
java ${BENCH_JAVA_FLAGS:-} -cp api/target/caduceus.jar bench/NoisyNeighbour.java "http://127.0.0.1:$PORT" \
  "${BENCH_SECONDS:-30}"
