#!/usr/bin/env bash
# The FHIR facade against its /v1 twins on one server, in one run: Patient read (get_patient vs fhir_get_patient)
# and name search (search_patients vs fhir_search_patients), measured in interleaved rounds (v1 then FHIR, FHIR then
# v1 in even rounds) so the machine's drift falls on both alike; prints each measurement and, per pair, the medians
# and the ratio FHIR/v1 of throughput and of the server JVM's CPU per request.
#
#   bench/fhir.sh            (after mvn -pl api -am -DskipTests package)
# Settings (environment): FHIR_ROUNDS=3, FHIR_WARMUP=60, BENCH_JAR (api/target/caduceus.jar), plus run.sh's
# BENCH_TENANTS (2), BENCH_PATIENTS (2000), BENCH_DURATION (20 s a measurement), BENCH_CONNECTIONS (32),
# BENCH_THREADS (2), BENCH_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${FHIR_ROUNDS:-3}
WARMUP=${FHIR_WARMUP:-60}
DURATION=${BENCH_DURATION:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
PAIRS="get_patient:fhir_get_patient search_patients:fhir_search_patients"
export BENCH_TENANTS=${BENCH_TENANTS:-2} BENCH_PATIENTS=${BENCH_PATIENTS:-2000}
OUT=bench/results/fhir_$(date +%s)
mkdir -p "$OUT"
PORT=18080

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

BENCH_JAR=${BENCH_JAR:-api/target/caduceus.jar} BENCH_PORT=$PORT BENCH_SETUP_ONLY=1 bash bench/run.sh \
  > "$OUT/setup.log" 2>&1 &
SETUP=$!
PIDS+=("$SETUP")
until grep -q '^== setup only' "$OUT/setup.log"; do
  kill -0 "$SETUP" 2>/dev/null || { echo "setup failed:"; tail -20 "$OUT/setup.log"; exit 1; }
  sleep 1
done
SERVER=$(sed -nE 's/^== setup only: server pid ([0-9]+).*/\1/p' "$OUT/setup.log")
PIDS+=("$SERVER")
DATA=$(sed -nE 's/.*BENCH_OUT=([^ ]+) .*/\1/p' "$OUT/setup.log" | head -1)

wrk_run() { # scenario seconds [result-file]
  BENCH_OUT=$DATA wrk -t"$THREADS" -c"$CONNECTIONS" -d"${2}s" --latency -s "bench/lua/$1.lua" \
    "http://127.0.0.1:$PORT" > "${3:-/dev/null}" 2>&1
}
jvm_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
TICK_MS=$(awk -v hz="$(getconf CLK_TCK)" 'BEGIN {print 1000 / hz}')

echo "== warm-up: ${WARMUP}s over the four scenarios (the first FHIR request also loads HAPI's model)"
for pair in $PAIRS; do
  for s in ${pair%%:*} ${pair##*:}; do wrk_run "$s" $(( WARMUP / 4 )); done
done

printf '%-22s %5s %12s %10s %10s %8s %8s\n' scenario round "per second" p50 p99 non-2xx "jvm ms" | tee "$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  for pair in $PAIRS; do
    order="${pair%%:*} ${pair##*:}"; [ $((round % 2)) -eq 0 ] && order="${pair##*:} ${pair%%:*}"
    for s in $order; do
      f="$OUT/wrk_${s}_$round.txt"
      j0=$(jvm_ticks)
      wrk_run "$s" "$DURATION" "$f"
      j1=$(jvm_ticks)
      n=$(awk '/requests in/ {print $1}' "$f")
      printf '%-22s %5s %12s %10s %10s %8s %8s\n' "$s" "$round" "$(awk '/Requests\/sec/ {print $2}' "$f")" \
        "$(awk '$1=="50%" {print $2}' "$f")" "$(awk '$1=="99%" {print $2}' "$f")" \
        "$(awk '/Non-2xx/ {print $5}' "$f" | grep . || echo 0)" \
        "$(awk -v d=$((j1 - j0)) -v n="$n" -v t="$TICK_MS" 'BEGIN {printf "%.3f", d * t / n}')" | tee -a "$OUT/rounds.txt"
    done
  done
done

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
{
  echo
  echo "$(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-22s %12s %12s %8s %11s %11s %8s\n' "pair (v1 : FHIR)" "v1 median/s" "FHIR med/s" "FHIR/v1" \
    "v1 jvm ms/r" "FHIR jvm" "FHIR/v1"
  for pair in $PAIRS; do
    col() { awk -v s="$1" -v c="$2" '$1==s {print $c}' "$OUT/rounds.txt" | median; }
    a=$(col "${pair%%:*}" 3) b=$(col "${pair##*:}" 3) ca=$(col "${pair%%:*}" 7) cb=$(col "${pair##*:}" 7)
    printf '%-22s %12s %12s %8s %11s %11s %8s\n' "${pair%%:*}" "$a" "$b" \
      "$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", b / a}')" "$ca" "$cb" \
      "$(awk -v a="$ca" -v b="$cb" 'BEGIN {printf "%.2f", b / a}')"
  done
} | tee "$OUT/summary.txt"
