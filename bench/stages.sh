#!/usr/bin/env bash
# Where a request's time goes, by stage: one read (GET /v1/patients/{id}), one search (GET /v1/patients?name=) and
# one create (POST /v1/patients), each broken down from Java Flight Recorder recordings of the server.
#   1. starts the server with run.sh's setup (fresh databases, BENCH_TENANTS tenants of BENCH_PATIENTS patients),
#      request quotas on with limits far above the load (so the quota stage is timed and nothing is refused);
#   2. warms it up (STAGES_WARMUP seconds of wrk, the scenarios in turn);
#   3. per scenario, records JFR (bench/stages.jfc, which enables the io.caduceus.RequestStage events, on top of the
#      JDK's "default" settings) during BENCH_DURATION seconds of wrk;
#   4. prints per scenario (bench/StageTable.java) each stage's count, mean, p50, p99 and share of the requests'
#      total time, then the methods most often on top of the execution samples, then the slow requests (over
#      STAGES_SLOW_MS): their stages, what they overlapped (GC pauses, background runs), their bursts, the threads
#      running meanwhile.
#
#   bench/stages.sh
#   STAGES_LOAD=0.8 bench/stages.sh      # recorded at 80 % of saturation (bench/lua/paced.lua), where the tail is read
# Settings (environment): STAGES_WARMUP=60, STAGES_SCENARIOS="get_patient search_patients create_patient" (lua
# scripts in bench/lua), STAGES_JFR_SETTINGS=default (or profile: samples every 10 ms instead of 20), plus run.sh's
# BENCH_TENANTS (2), BENCH_PATIENTS (2000), BENCH_DURATION (20 s a recording), BENCH_CONNECTIONS (32),
# BENCH_THREADS (2), BENCH_JAVA_OPTS, BENCH_JAR, BENCH_PORT (18080). STAGES_LOAD (e.g. 0.8): each scenario's
# saturation is measured first (10 s of wrk), then the recording runs paced to that share of it, the pause set from a
# 10-second trial as compare.sh does. STAGES_SLOW_MS=20: what a slow request is. STAGES_QUOTAS=true (false: quotas
# off, as run.sh and compare.sh measure). STAGES_FSYNC_PROBE=1: bench/fsync_probe.py times an 8 KB write + fdatasync
# every 20 ms in STAGES_FSYNC_DIR (/var/lib/postgresql: the database's disk) during each recording.
set -euo pipefail
cd "$(dirname "$0")/.."

WARMUP=${STAGES_WARMUP:-60}
SCENARIOS=${STAGES_SCENARIOS:-get_patient search_patients create_patient}
SETTINGS=${STAGES_JFR_SETTINGS:-default}
DURATION=${BENCH_DURATION:-20}
LOAD=${STAGES_LOAD:-}
SLOW_MS=${STAGES_SLOW_MS:-20}
QUOTAS=${STAGES_QUOTAS:-true}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
PORT=${BENCH_PORT:-18080}
export BENCH_TENANTS=${BENCH_TENANTS:-2} BENCH_PATIENTS=${BENCH_PATIENTS:-2000} BENCH_PORT=$PORT
OUT=$(pwd)/bench/results/stages_$(date +%s)
mkdir -p "$OUT"
command -v jcmd >/dev/null || { echo "missing jcmd (a JDK's bin)"; exit 1; }

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

echo '{"quotas":{"tenant":{"perSecond":1000000,"burst":2000000},"user":{"perSecond":1000000,"burst":2000000}}}' \
  > "$OUT/quotas.json"
echo "== setting up the server (run.sh, quotas on far above the load)"
BENCH_SETUP_ONLY=1 BENCH_QUOTAS=$QUOTAS BENCH_SERVER_CONFIG="$OUT/quotas.json" bash bench/run.sh > "$OUT/setup.log" 2>&1 &
PIDS+=("$!")
until grep -q '^== setup only' "$OUT/setup.log"; do
  kill -0 "${PIDS[0]}" 2>/dev/null || { echo "setup failed:"; tail -20 "$OUT/setup.log"; exit 1; }
  sleep 1
done
SERVER=$(sed -nE 's/^== setup only: server pid ([0-9]+).*/\1/p' "$OUT/setup.log")
PIDS+=("$SERVER")
DATA=$(sed -nE 's/.*BENCH_OUT=([^ ]+) .*/\1/p' "$OUT/setup.log" | head -1)

wrk_run() { # scenario seconds result-file [pause-ms: paced]
  if [ -n "${4:-}" ]; then
    BENCH_OUT=$DATA BENCH_SCENARIO=$1 BENCH_PAUSE_MS=$4 wrk -t"$THREADS" -c"$CONNECTIONS" -d"${2}s" --latency \
      -s bench/lua/paced.lua "http://127.0.0.1:$PORT" > "$3" 2>&1
  else
    BENCH_OUT=$DATA wrk -t"$THREADS" -c"$CONNECTIONS" -d"${2}s" --latency -s "bench/lua/$1.lua" \
      "http://127.0.0.1:$PORT" > "$3" 2>&1
  fi
}
rate() { awk '/Requests\/sec/ {print $2}' "$1"; }

echo "== warm-up: ${WARMUP}s, the scenarios in turn"
for s in $SCENARIOS; do wrk_run "$s" $(( WARMUP / $(echo $SCENARIOS | wc -w) )) /dev/null; done

for s in $SCENARIOS; do
  pause= paced=
  if [ -n "$LOAD" ]; then # the pause that offers LOAD x saturation: from a trial, as compare.sh; both recorded as the
    # measurement is (the recording costs a little), into a recording that is thrown away
    jcmd "$SERVER" JFR.start name="trial-$s" settings="$SETTINGS" settings="$(pwd)/bench/stages.jfc" >/dev/null
    wrk_run "$s" 10 "$OUT/saturated_$s.txt"
    target=$(awk -v r="$(rate "$OUT/saturated_$s.txt")" -v l="$LOAD" 'BEGIN {printf "%.0f", r * l}')
    pause=$(awk -v c="$CONNECTIONS" -v t="$target" 'BEGIN {printf "%.1f", c * 1000 / t}')
    wrk_run "$s" 10 "$OUT/trial_$s.txt" "$pause"
    jcmd "$SERVER" JFR.stop name="trial-$s" >/dev/null
    pause=$(awk -v c="$CONNECTIONS" -v t="$target" -v p="$pause" -v got="$(rate "$OUT/trial_$s.txt")" \
      'BEGIN {cycle = c * 1000 / got; p = p - (cycle - c * 1000 / t); printf "%.1f", (p < 0 ? 0 : p)}')
    paced=", paced at $LOAD x $(rate "$OUT/saturated_$s.txt")/s = $target/s offered (pause $pause ms)"
  fi
  jcmd "$SERVER" JFR.start name="stages-$s" settings="$SETTINGS" settings="$(pwd)/bench/stages.jfc" >/dev/null
  probe=
  if [ -n "${STAGES_FSYNC_PROBE:-}" ]; then # durable writes on the database's disk meanwhile (bench/fsync_probe.py)
    python3 bench/fsync_probe.py "${STAGES_FSYNC_DIR:-/var/lib/postgresql}/caduceus-fsync-probe.$$" "$DURATION" \
      > "$OUT/fsync_$s.txt" &
    probe="$OUT/fsync_$s.txt" prober=$!
  fi
  wrk_run "$s" "$DURATION" "$OUT/wrk_$s.txt" "$pause"
  jcmd "$SERVER" JFR.stop name="stages-$s" filename="$OUT/$s.jfr" >/dev/null
  [ -z "$probe" ] || wait "$prober"
  {
    echo
    echo "== $s: $(rate "$OUT/wrk_$s.txt") requests/s, p50 $(awk '$1=="50%" {print $2}' \
      "$OUT/wrk_$s.txt"), p99 $(awk '$1=="99%" {print $2}' "$OUT/wrk_$s.txt"), non-2xx $(awk '/Non-2xx/ {print $5}' \
      "$OUT/wrk_$s.txt" | grep . || echo 0) (${DURATION}s, $CONNECTIONS connections, recording on$paced)"
    java bench/StageTable.java "$OUT/$s.jfr" 15 "$SLOW_MS" $probe
  } | tee -a "$OUT/summary.txt"
done
echo
echo "$(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); recordings and wrk output in $OUT"
