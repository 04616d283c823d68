#!/usr/bin/env bash
# The embedded default against the machine's own servers (issue 17): the same jar, the same data and load, in one
# interleaved compare.sh run. A is the server on the machine's PostgreSQL and Redis (BENCH_PG_SUPERUSER_URL,
# BENCH_REDIS_URL, as every other bench script); B is the same jar on the embedded PostgreSQL and Redis that
# ./run.sh starts for a newcomer, started here exactly as the server starts them (bench/EmbeddedDb.java: the
# server's own EmbeddedPostgresServer and EmbeddedRedisServer, their binaries and settings), on a fresh data
# directory under EMBEDDED_DATA_DIR's parent (default: a temporary directory on the same disk as ./caduceus-data).
# Everything else is compare.sh's (COMPARE_ROUNDS, COMPARE_WARMUP, COMPARE_SCENARIOS, COMPARE_LOAD, BENCH_*); both
# sides run the jar COMPARE_JAR (api/target/caduceus.jar). Prints the embedded server's non-default settings next
# to the machine's, so a difference in the figures can be read against a difference in configuration.
#
#   bench/embedded.sh
#   COMPARE_SCENARIOS="get_patient create_patient" COMPARE_LOAD=0.8 bench/embedded.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${COMPARE_JAR:-api/target/caduceus.jar}
PG=${BENCH_PG_SUPERUSER_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
DATA=${EMBEDDED_DATA_DIR:-$(mktemp -d "$PWD/bench/results/embedded-db.XXXXXX")}
# shellcheck source=bench/free_port.sh
source bench/free_port.sh
PG_PORT=$(free_port)
REDIS_PORT=$(free_port)
while [ "$REDIS_PORT" = "$PG_PORT" ]; do REDIS_PORT=$(free_port); done

java -cp "$JAR" bench/EmbeddedDb.java "$DATA" "$PG_PORT" "$REDIS_PORT" > "$DATA.log" 2>&1 &
EMBEDDED_PID=$!
stop_embedded() { # EmbeddedDb stops both servers on SIGTERM
  kill -TERM "$EMBEDDED_PID" 2>/dev/null || true
  wait "$EMBEDDED_PID" 2>/dev/null || true
  rm -rf "$DATA"
}
trap stop_embedded EXIT
until grep -q '^ready ' "$DATA.log"; do
  kill -0 "$EMBEDDED_PID" 2>/dev/null || { tail -20 "$DATA.log" >&2; echo "the embedded servers did not start" >&2; exit 1; }
  sleep 0.2
done
EMBEDDED_PG=postgresql://postgres@127.0.0.1:$PG_PORT/postgres
echo "== embedded PostgreSQL on $PG_PORT, Redis on $REDIS_PORT (data in $DATA)"

settings() { # url: the settings a server was given (not compiled-in defaults), one per line
  psql -tA "$1" -c "SELECT name || '=' || setting FROM pg_settings
    WHERE source NOT IN ('default', 'override', 'client', 'session') ORDER BY name"
}
echo "== settings: machine | embedded (where they differ)"
diff <(settings "$PG") <(settings "$EMBEDDED_PG") | sed -n 's/^< /   machine:  /p; s/^> /   embedded: /p' || true
psql -tA "$PG" -c "SELECT '   machine:  ' || version()"
psql -tA "$EMBEDDED_PG" -c "SELECT '   embedded: ' || version()"

COMPARE_A=$JAR COMPARE_B=$JAR \
  COMPARE_B_ENV="BENCH_PG_SUPERUSER_URL=$EMBEDDED_PG BENCH_REDIS_URL=redis://127.0.0.1:$REDIS_PORT" \
  bash bench/compare.sh
