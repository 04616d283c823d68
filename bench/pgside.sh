#!/usr/bin/env bash
# The database's side of one scenario at a share of saturation: which statements a request runs in PostgreSQL and
# what its backends wait on. Needs a PostgreSQL with pg_stat_statements preloaded (pg_stat_statements.track = all,
# so the triggers' statements count too) and track_io_timing / track_wal_io_timing on; the machine's shared 5432
# has none of them, so point BENCH_PG_SUPERUSER_URL at a private cluster (bench/README.md, "The tail at 80 %").
#   1. starts the server with run.sh's setup (BENCH_SETUP_ONLY=1) on that PostgreSQL;
#   2. warms it up (PGSIDE_WARMUP seconds of wrk, 30), measures saturation (10 s of wrk);
#   3. resets pg_stat_statements and pg_stat_wal, then runs the scenario paced to PGSIDE_LOAD (0.8) of saturation
#      (bench/lua/paced.lua) for BENCH_DURATION seconds (20) while one backend samples pg_stat_activity every
#      PGSIDE_SAMPLE_MS (5) for the server's connections;
#   4. prints wrk's figures, the statements per request (calls, mean and total time, WAL bytes), pg_stat_wal, and the
#      samples grouped by state and wait event (an "idle in transaction" backend waiting on ClientRead is waiting for
#      the server's next statement: a round trip; "active" with no wait event is on the CPU).
#   BENCH_PG_SUPERUSER_URL=postgresql://postgres@127.0.0.1:5433/postgres PGSIDE_SCENARIO=create_patient bench/pgside.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PG=${BENCH_PG_SUPERUSER_URL:?BENCH_PG_SUPERUSER_URL=<a PostgreSQL with pg_stat_statements>}
SCENARIO=${PGSIDE_SCENARIO:-create_patient}
LOAD=${PGSIDE_LOAD:-0.8}
WARMUP=${PGSIDE_WARMUP:-30}
DURATION=${BENCH_DURATION:-20}
SAMPLE_MS=${PGSIDE_SAMPLE_MS:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
PORT=${BENCH_PORT:-18080}
export BENCH_TENANTS=${BENCH_TENANTS:-2} BENCH_PATIENTS=${BENCH_PATIENTS:-2000}
OUT=bench/results/pgside_$(date +%s)
mkdir -p "$OUT"
psql -tA "$PG" -c "SELECT 1 FROM pg_stat_statements LIMIT 1" >/dev/null \
  || { echo "pg_stat_statements is not usable on $PG"; exit 1; }

BENCH_PORT=$PORT BENCH_SETUP_ONLY=1 bash bench/run.sh > "$OUT/setup.log" 2>&1 &
SETUP=$!
trap 'kill $SETUP 2>/dev/null || true; kill "$(sed -nE "s/^== setup only: server pid ([0-9]+).*/\1/p" "$OUT/setup.log")" 2>/dev/null || true' EXIT
until grep -q '^== setup only' "$OUT/setup.log"; do
  kill -0 "$SETUP" 2>/dev/null || { echo "setup failed:"; tail -20 "$OUT/setup.log"; exit 1; }
  sleep 1
done
DATA=$(sed -nE 's/.*BENCH_OUT=([^ ]+) .*/\1/p' "$OUT/setup.log" | head -1)
REGION_DB=$(sed -nE 's/.*databases [^,]+, ([^)]+)\).*/\1/p' "$OUT/setup.log" | head -1)
REGION=$(echo "$PG" | sed -E "s#/[^/]*\$#/$REGION_DB#")
URL=http://127.0.0.1:$PORT
wrk_for() { # seconds file [paced pause-ms]
  if [ -n "${3:-}" ]; then
    BENCH_OUT=$DATA BENCH_SCENARIO=$SCENARIO BENCH_PAUSE_MS=$3 wrk -t2 -c"$CONNECTIONS" -d"$1s" --latency \
      -s bench/lua/paced.lua "$URL" > "$2" 2>&1
  else
    BENCH_OUT=$DATA wrk -t2 -c"$CONNECTIONS" -d"$1s" --latency -s "bench/lua/$SCENARIO.lua" "$URL" > "$2" 2>&1
  fi
}
rate() { awk '/Requests\/sec/ {print $2}' "$1"; }

echo "== $SCENARIO on $REGION_DB: warm-up ${WARMUP}s, saturation 10 s"
wrk_for "$WARMUP" "$OUT/warmup.txt"
wrk_for 10 "$OUT/saturation.txt"
target=$(awk -v r="$(rate "$OUT/saturation.txt")" -v l="$LOAD" 'BEGIN {printf "%.0f", r * l}')
pause=$(awk -v c="$CONNECTIONS" -v t="$target" 'BEGIN {printf "%.1f", c * 1000 / t}')
wrk_for 10 "$OUT/trial.txt" "$pause"
pause=$(awk -v c="$CONNECTIONS" -v t="$target" -v p="$pause" -v got="$(rate "$OUT/trial.txt")" \
  'BEGIN {cycle = c * 1000 / got; p = p - (cycle - c * 1000 / t); printf "%.1f", (p < 0 ? 0 : p)}')
echo "   saturation $(rate "$OUT/saturation.txt")/s, target $target/s, pause $pause ms"

psql -qtA "$PG" -c "SELECT pg_stat_statements_reset(); SELECT pg_stat_reset_shared('wal')" >/dev/null
samples=$(( DURATION * 1000 / SAMPLE_MS ))
psql -qtA "$REGION" > "$OUT/samples.txt" <<SQL &
CREATE TEMP TABLE sample (pid int, state text, wait text, query text);
DO \$\$ BEGIN
  FOR i IN 1..$samples LOOP
    PERFORM pg_stat_clear_snapshot();
    INSERT INTO sample SELECT pid, state, coalesce(wait_event_type || ':' || wait_event, 'cpu'), left(regexp_replace(query, '\s+', ' ', 'g'), 70)
      FROM pg_stat_activity WHERE datname = current_database() AND usename = 'caduceus_app' AND pid <> pg_backend_pid();
    PERFORM pg_sleep($SAMPLE_MS / 1000.0);
  END LOOP;
END \$\$;
\pset format aligned
\pset tuples_only off
SELECT state, wait, count(*) AS samples, round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS pct
  FROM sample WHERE state <> 'idle' GROUP BY 1, 2 ORDER BY 3 DESC;
SELECT state, wait, query, count(*) AS samples FROM sample WHERE state <> 'idle'
  GROUP BY 1, 2, 3 ORDER BY 4 DESC LIMIT 25;
SELECT count(*) AS all_samples, count(*) FILTER (WHERE state = 'idle') AS idle FROM sample;
SQL
SAMPLER=$!
wrk_for "$DURATION" "$OUT/paced.txt" "$pause"
wait $SAMPLER
n=$(awk '/requests in/ {print $1}' "$OUT/paced.txt")
{
  echo "== $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg); $SCENARIO paced at $LOAD x: $(rate "$OUT/paced.txt")/s," \
    "p50 $(awk '$1=="50%" {print $2}' "$OUT/paced.txt"), p99 $(awk '$1=="99%" {print $2}' "$OUT/paced.txt"), $n requests"
  psql -q "$PG" <<SQL
SELECT round(calls::numeric / $n, 2) AS per_req, round(mean_exec_time::numeric, 3) AS mean_ms,
       round(max_exec_time::numeric, 1) AS max_ms, round(total_exec_time::numeric / $n, 3) AS ms_per_req,
       round(wal_bytes::numeric / calls) AS wal_b, toplevel AS top,
       left(regexp_replace(query, '\s+', ' ', 'g'), 90) AS query
  FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '$REGION_DB')
  ORDER BY total_exec_time DESC LIMIT 30;
SELECT wal_records, wal_bytes, wal_write, wal_sync, round(wal_write_time::numeric, 1) AS write_ms,
       round(wal_sync_time::numeric, 1) AS sync_ms, round((wal_sync_time / nullif(wal_sync, 0))::numeric, 3) AS ms_per_sync,
       round(wal_sync::numeric / $n, 2) AS syncs_per_req
  FROM pg_stat_wal;
SQL
  cat "$OUT/samples.txt"
} | tee "$OUT/report.txt"
kill "$(sed -nE 's/^== setup only: server pid ([0-9]+).*/\1/p' "$OUT/setup.log")" 2>/dev/null || true
sleep 1
psql -q "$PG" -c "DROP DATABASE IF EXISTS $REGION_DB WITH (FORCE)" -c \
  "DROP DATABASE IF EXISTS ${REGION_DB%_us}_global WITH (FORCE)" >/dev/null 2>&1 || true
