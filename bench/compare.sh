#!/usr/bin/env bash
# Two builds side by side, measured in interleaved rounds in one run, so that the machine's drift (another
# process, the CPU's clock, the page cache) falls on both alike:
#   1. starts each jar with `run.sh`'s setup (fresh databases, the same tenants and patients), on its own port;
#   2. warms both up in turn (COMPARE_WARMUP seconds of wrk load each);
#   3. runs COMPARE_ROUNDS rounds; in each, every scenario is measured on A then on B (B then A in even rounds);
#   4. prints each measurement and, per scenario, the median of each side and the ratio B/A of the medians.
#
#   COMPARE_A=/path/before.jar COMPARE_B=api/target/caduceus.jar bench/compare.sh
# Settings (environment): COMPARE_ROUNDS=3, COMPARE_WARMUP=60, COMPARE_SCENARIOS="get_patient search_patients"
# (lua scripts in bench/lua), COMPARE_LOAD (e.g. 0.8: latency at that share of saturation, below), plus run.sh's BENCH_TENANTS (2), BENCH_PATIENTS (2000), BENCH_DURATION (20 s a
# measurement), BENCH_CONNECTIONS (32), BENCH_THREADS (2), BENCH_JAVA_OPTS. COMPARE_B_JAVA_OPTS sets B's JVM options
# apart (the same jar twice, a JVM flag on and off). COMPARE_A_ENV and COMPARE_B_ENV are environment assignments
# for one side's run.sh, e.g. B on another PostgreSQL and Redis (bench/embedded.sh: BENCH_PG_SUPERUSER_URL=...
# BENCH_REDIS_URL=...). COMPARE_PROFILE=1 records a Java Flight Recorder profile of
# the server during each measurement (wrk_<scenario>_<round>_<side>.jfr beside the figures). COMPARE_A_SETUP and
# COMPARE_B_SETUP are commands run once a side is set up, before the warm-up, with BENCH_URL and BENCH_OUT (its
# setup folder) set: the same jar on both sides, one side given something more, e.g. 50 flags on B:
#   COMPARE_A=api/target/caduceus.jar COMPARE_B_SETUP="bench/flags.sh 50" \
#     COMPARE_SCENARIOS="me_features get_patient" bench/compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."

A=${COMPARE_A:?COMPARE_A=<jar>}
B=${COMPARE_B:-api/target/caduceus.jar}
ROUNDS=${COMPARE_ROUNDS:-3}
WARMUP=${COMPARE_WARMUP:-60}
SCENARIOS=${COMPARE_SCENARIOS:-get_patient search_patients}
DURATION=${BENCH_DURATION:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
export BENCH_TENANTS=${BENCH_TENANTS:-2} BENCH_PATIENTS=${BENCH_PATIENTS:-2000}
OUT=bench/results/compare_$(date +%s)
mkdir -p "$OUT"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start() { # side jar port java-opts [environment]: sets DATA_<side> to the run's data folder (tenants.lua)
  # shellcheck disable=SC2086 # the side's environment is a list of assignments
  env ${5:-} BENCH_JAR=$2 BENCH_PORT=$3 BENCH_SETUP_ONLY=1 BENCH_JAVA_OPTS="$4" bash bench/run.sh > "$OUT/setup_$1.log" 2>&1 &
  local setup=$!
  PIDS+=("$setup")
  until grep -q '^== setup only' "$OUT/setup_$1.log"; do
    kill -0 "$setup" 2>/dev/null || { echo "setup of $1 failed:"; tail -20 "$OUT/setup_$1.log"; exit 1; }
    sleep 1
  done
  PIDS+=("$(sed -nE 's/^== setup only: server pid ([0-9]+).*/\1/p' "$OUT/setup_$1.log")")
  printf -v "DATA_$1" '%s' "$(sed -nE 's/.*BENCH_OUT=([^ ]+) .*/\1/p' "$OUT/setup_$1.log" | head -1)"
}
JAVA_OPTS=${BENCH_JAVA_OPTS:-$(sed 's/#.*//' jvm.options | xargs)}
echo "== setting up A ($A) and B ($B)"
start A "$A" 18080 "$JAVA_OPTS" "${COMPARE_A_ENV:-}"
start B "$B" 18090 "${COMPARE_B_JAVA_OPTS:-$JAVA_OPTS}" "${COMPARE_B_ENV:-}"
for side in A B; do
  setup=COMPARE_${side}_SETUP data=DATA_$side port=18080
  [ "$side" = B ] && port=18090
  if [ -n "${!setup:-}" ]; then
    echo "== $side's own setup: ${!setup}"
    BENCH_URL=http://127.0.0.1:$port BENCH_OUT=${!data} ${!setup} > "$OUT/own_setup_$side.log" 2>&1 \
      || { echo "$side's own setup failed:"; tail -20 "$OUT/own_setup_$side.log"; exit 1; }
    tail -1 "$OUT/own_setup_$side.log"
  fi
done

server_of() { sed -nE 's/^== setup only: server pid ([0-9]+).*/\1/p' "$OUT/setup_$1.log"; }
wrk_on() { # side scenario seconds [result-file]
  local port=18080 data=$DATA_A
  [ "$1" = B ] && port=18090 data=$DATA_B
  if [ -n "${COMPARE_PROFILE:-}" ] && [ -n "${4:-}" ]; then
    jcmd "$(server_of "$1")" JFR.start name="$(basename "$4" .txt)" settings=profile duration="${3}s" \
      filename="$(realpath "$OUT")/$(basename "$4" .txt).jfr" >/dev/null
  fi
  BENCH_OUT=$data wrk -t"$THREADS" -c"$CONNECTIONS" -d"${3}s" --latency -s "bench/lua/$2.lua" \
    "http://127.0.0.1:$port" > "${4:-/dev/null}" 2>&1
}

echo "== warm-up: ${WARMUP}s per side, the scenarios in turn"
for side in A B; do
  for s in $SCENARIOS; do wrk_on $side "$s" $(( WARMUP / $(echo $SCENARIOS | wc -w) )); done
done

# CPU per request, less noisy than throughput on a shared box: the server JVM's own CPU time (utime + stime of
# /proc/<pid>/stat) and the whole machine's busy time (/proc/stat, so also the database and wrk), in ms/request.
jvm_ticks() { awk '{print $14 + $15}' "/proc/$(server_of "$1")/stat"; }
busy_ticks() { awk '$1=="cpu" {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
TICK_MS=$(awk -v hz="$(getconf CLK_TCK)" 'BEGIN {print 1000 / hz}')
printf '%-18s %5s %4s %12s %10s %10s %8s %8s %8s\n' scenario round side "per second" p50 p99 non-2xx \
  "jvm ms" "box ms" | tee "$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  order="A B"; [ $((round % 2)) -eq 0 ] && order="B A"
  for s in $SCENARIOS; do
    for side in $order; do
      f="$OUT/wrk_${s}_${round}_$side.txt"
      j0=$(jvm_ticks $side) b0=$(busy_ticks)
      wrk_on $side "$s" "$DURATION" "$f"
      j1=$(jvm_ticks $side) b1=$(busy_ticks)
      n=$(awk '/requests in/ {print $1}' "$f")
      printf '%-18s %5s %4s %12s %10s %10s %8s %8s %8s\n' "$s" "$round" "$side" \
        "$(awk '/Requests\/sec/ {print $2}' "$f")" "$(awk '$1=="50%" {print $2}' "$f")" \
        "$(awk '$1=="99%" {print $2}' "$f")" "$(awk '/Non-2xx/ {print $5}' "$f" | grep . || echo 0)" \
        "$(awk -v d=$((j1 - j0)) -v n="$n" -v t="$TICK_MS" 'BEGIN {printf "%.3f", d * t / n}')" \
        "$(awk -v d=$((b1 - b0)) -v n="$n" -v t="$TICK_MS" 'BEGIN {printf "%.3f", d * t / n}')" \
        | tee -a "$OUT/rounds.txt"
    done
  done
done

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
{
  echo
  echo "$(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); A=$A B=$B" \
    "${COMPARE_A_SETUP:+A setup: $COMPARE_A_SETUP; }${COMPARE_B_SETUP:+B setup: $COMPARE_B_SETUP}"
  printf '%-18s %12s %12s %8s %11s %11s %8s\n' scenario "A median/s" "B median/s" "B/A" \
    "A jvm ms/r" "B jvm ms/r" "B/A"
  for s in $SCENARIOS; do
    col() { awk -v s="$s" -v side="$1" -v c="$2" '$1==s && $3==side {print $c}' "$OUT/rounds.txt" | median; }
    a=$(col A 4) b=$(col B 4) ca=$(col A 8) cb=$(col B 8)
    printf '%-18s %12s %12s %8s %11s %11s %8s\n' "$s" "$a" "$b" \
      "$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", b / a}')" "$ca" "$cb" \
      "$(awk -v a="$ca" -v b="$cb" 'BEGIN {printf "%.2f", b / a}')"
  done
} | tee "$OUT/summary.txt"

# Latency below saturation (COMPARE_LOAD, e.g. 0.8): each scenario again, paced (bench/lua/paced.lua) to that share
# of the slower side's median throughput, the same offered load for both. Each side's pause is set from a short
# trial of its own, so that connections / (pause + latency) comes out at the target on both.
if [ -n "${COMPARE_LOAD:-}" ]; then
  paced_on() { # side scenario pause-ms seconds result-file
    local port=18080 data=$DATA_A
    [ "$1" = B ] && port=18090 data=$DATA_B
    BENCH_OUT=$data BENCH_SCENARIO=$2 BENCH_PAUSE_MS=$3 wrk -t"$THREADS" -c"$CONNECTIONS" -d"${4}s" --latency \
      -s bench/lua/paced.lua "http://127.0.0.1:$port" > "$5" 2>&1
  }
  {
    echo
    printf '%-18s %10s %9s %5s %4s %12s %10s %10s %8s\n' "at $COMPARE_LOAD x" "target/s" "pause ms" round side \
      "per second" p50 p99 non-2xx
  } | tee -a "$OUT/summary.txt"
  for s in $SCENARIOS; do
    sat=$(for side in A B; do awk -v s="$s" -v side=$side '$1==s && $3==side {print $4}' "$OUT/rounds.txt" | median; done \
      | sort -n | head -1)
    target=$(awk -v r="$sat" -v l="$COMPARE_LOAD" 'BEGIN {printf "%.0f", r * l}')
    for side in A B; do # each side's pause from a trial of its own, so that both are offered the target rate
      p=$(awk -v c="$CONNECTIONS" -v t="$target" 'BEGIN {printf "%.1f", c * 1000 / t}')
      paced_on $side "$s" "$p" 10 "$OUT/paced_${s}_trial_$side.txt"
      printf -v "PAUSE_$side" '%s' "$(awk -v c="$CONNECTIONS" -v t="$target" -v p="$p" \
        -v got="$(awk '/Requests\/sec/ {print $2}' "$OUT/paced_${s}_trial_$side.txt")" \
        'BEGIN {cycle = c * 1000 / got; p = p - (cycle - c * 1000 / t); printf "%.1f", (p < 0 ? 0 : p)}')"
    done
    for round in 1 2 3; do
      order="A B"; [ $((round % 2)) -eq 0 ] && order="B A"
      for side in $order; do
        f="$OUT/paced_${s}_${round}_$side.txt"
        pause=PAUSE_$side
        paced_on $side "$s" "${!pause}" "$DURATION" "$f"
        printf '%-18s %10s %9s %5s %4s %12s %10s %10s %8s\n' "$s" "$target" "${!pause}" "$round" "$side" \
          "$(awk '/Requests\/sec/ {print $2}' "$f")" "$(awk '$1=="50%" {print $2}' "$f")" \
          "$(awk '$1=="99%" {print $2}' "$f")" "$(awk '/Non-2xx/ {print $5}' "$f" | grep . || echo 0)" \
          | tee -a "$OUT/summary.txt"
      done
    done
  done
fi
