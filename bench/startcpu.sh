#!/usr/bin/env bash
# What a restart costs the JVM in CPU, by thread kind, for two jars (or one jar with two sets of JVM options) in one
# run, restarts alternating A, B, B, A, ... so the machine's drift falls on both alike:
#   1. each side gets a data directory of its own, and a first start, not counted, initialises it (embedded
#      PostgreSQL and Redis, migrations, demo seed) and records a class-data-sharing archive at its exit, as
#      run.sh does;
#   2. STARTCPU_COUNT restarts of each side, each timed from the command to the first 200 of GET /health/ready;
#      at that moment the JVM's CPU (utime + stime of /proc/<pid>/stat) and each thread's
#      (/proc/<pid>/task/*/stat), summed by kind (C2 and C1 compiler threads, event loops, workers, the start-up
#      threads, GC and VM threads, the rest), are read; then the server's own phase line, and SIGTERM;
#   3. prints every restart, and per side the median of each figure, with B/A.
#
#   STARTCPU_A=/tmp/jars/main.jar STARTCPU_B=/tmp/jars/branch.jar bench/startcpu.sh
#   STARTCPU_A=x.jar STARTCPU_B=x.jar STARTCPU_B_OPTS="... -XX:CompileThresholdScaling=0.5" bench/startcpu.sh
# Settings (environment): STARTCPU_COUNT=4, STARTCPU_A_OPTS and STARTCPU_B_OPTS (default: jvm.options, as run.sh).
# Needs java, curl, setsid. Linux only. Results and server logs go to bench/results/startcpu-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."

A=${STARTCPU_A:?STARTCPU_A=<jar>}
B=${STARTCPU_B:-$A}
COUNT=${STARTCPU_COUNT:-4}
DEFAULT_OPTS=$(sed 's/#.*//' jvm.options | xargs)
OPTS_A=${STARTCPU_A_OPTS:-$DEFAULT_OPTS}
OPTS_B=${STARTCPU_B_OPTS:-$DEFAULT_OPTS}
RESULTS=bench/results/startcpu-$(date +%Y%m%d-%H%M%S)
DATA=$(mktemp -d "${TMPDIR:-/tmp}/caduceus-startcpu.XXXXXX")
mkdir -p "$RESULTS" "$DATA/A" "$DATA/B"
SERVER=
TICK=$(getconf CLK_TCK)

cleanup() {
  stop_server
  rm -rf "$DATA"
}
trap cleanup EXIT

# shellcheck source=bench/free_port.sh
source bench/free_port.sh
# shellcheck source=bench/server.sh
source bench/server.sh

# The JVM's threads' CPU in seconds, summed by kind: "c2 c1 loops workers start gc_vm other total".
thread_cpu() { # pid
  for stat in /proc/"$1"/task/*/stat; do cat "$stat" 2>/dev/null || true; done | awk -v tick="$TICK" '
    { comm = $0; sub(/^[0-9]+ \(/, "", comm); sub(/\) [A-Za-z] .*/, "", comm)
      rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " ")
      t = (f[12] + f[13]) / tick
      if (comm ~ /^C2 /) k = "c2"; else if (comm ~ /^C1 /) k = "c1"
      else if (comm ~ /eventloo/) k = "loops"; else if (comm ~ /worker|internal/) k = "workers"
      else if (comm ~ /caduceus-start|^java$|ForkJoin/) k = "start"
      else if (comm ~ /^(GC |VM |G1 |Service)/) k = "gc_vm"; else k = "other"
      s[k] += t; total += t }
    END { printf "%.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f\n", s["c2"], s["c1"], s["loops"], s["workers"],
          s["start"], s["gc_vm"], s["other"], total }'
}

# Starts one side's jar as run.sh would (its class-data archive, its options) and waits for readiness; sets
# READY_MS and CPU (thread_cpu at readiness).
start_server() { # side name
  local side=$1 name=$2 jar opts archive cds started port
  jar=$([ "$side" = A ] && echo "$A" || echo "$B")
  opts=$([ "$side" = A ] && echo "$OPTS_A" || echo "$OPTS_B")
  archive="$DATA/$side/caduceus.jsa"
  if [ -f "$archive" ]; then cds="-XX:SharedArchiveFile=$archive"; else cds="-XX:ArchiveClassesAtExit=$archive"; fi
  port=$(free_port)
  started=$(date +%s%N)
  # shellcheck disable=SC2086
  CADUCEUS_DATA_DIR="$DATA/$side" CADUCEUS_HTTP_PORT="$port" setsid java $cds -Xlog:cds=off \
    -Xlog:cds+dynamic=off $opts -jar "$jar" >"$RESULTS/$name.log" 2>&1 &
  SERVER=$!
  await_ready "$port" "$RESULTS/$name.log" "$name" "$started"
  CPU=$(thread_cpu "$SERVER")
}

{
  echo "restart CPU by thread kind on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "A: $A  $OPTS_A"
  echo "B: $B  $OPTS_B"
} | tee "$RESULTS/figures.txt"
for side in A B; do
  start_server "$side" "first-$side"
  echo "$side first start (not counted): ready in $READY_MS ms" | tee -a "$RESULTS/figures.txt"
  stop_server
done
printf '%-4s %8s | %5s %5s %5s %5s %5s %5s %5s | %6s\n' side ready_ms c2 c1 loops work start gc_vm other jvm_cpu \
  | tee -a "$RESULTS/figures.txt"
for i in $(seq 1 "$COUNT"); do
  order="A B"; [ $((i % 2)) -eq 0 ] && order="B A"
  for side in $order; do
    start_server "$side" "restart-$side-$i"
    row="$side $READY_MS $CPU"
    echo "$row" >> "$RESULTS/rows.txt"
    # shellcheck disable=SC2086
    printf '%-4s %8d | %5s %5s %5s %5s %5s %5s %5s | %6s\n' $row | tee -a "$RESULTS/figures.txt"
    echo "     $(phases "$RESULTS/restart-$side-$i.log")" | tee -a "$RESULTS/figures.txt"
    stop_server
  done
done
echo "medians (load average now $(cut -d' ' -f1-3 /proc/loadavg)):" | tee -a "$RESULTS/figures.txt"
awk '
  function median(side, col,   n, i, v, j, t) {
    n = 0; for (i = 1; i <= rows; i++) if (s[i] == side) v[++n] = c[i, col]
    for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
    return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
  { rows++; s[rows] = $1; for (k = 2; k <= NF; k++) c[rows, k] = $k; cols = NF }
  END { split("ready_ms c2 c1 loops workers start gc_vm other jvm_cpu", name, " ")
        for (k = 2; k <= cols; k++) { a = median("A", k); b = median("B", k)
          printf "  %-9s A %8.2f  B %8.2f  B/A %s\n", name[k - 1], a, b, (a > 0 ? sprintf("%.2f", b / a) : "-") } }
' "$RESULTS/rows.txt" | tee -a "$RESULTS/figures.txt"
