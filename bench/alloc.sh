#!/usr/bin/env bash
# Bytes allocated per request, by the server's event loops and by all its threads, for one or two jars in one run.
# Allocation is counted, not timed: the JVM's per-thread allocation counters (JFR's jdk.ThreadAllocationStatistics,
# exact) over a wrk run, divided by the requests wrk completed. A busy machine changes how long the run takes, not
# the bytes a request allocates, so this figure holds where throughput figures do not.
#
#   bench/alloc.sh [jar...]            # default: api/target/caduceus.jar; several jars are measured in turn
# Settings (environment): ALLOC_SCENARIO=get_patient (a script in bench/lua), ALLOC_WARMUP=20, ALLOC_SECONDS=20,
# BENCH_CONNECTIONS=16, plus run.sh's BENCH_TENANTS, BENCH_PATIENTS and BENCH_JAVA_OPTS. Also prints the methods
# most often on top of the sampled allocations (jdk.ObjectAllocationSample; sampled, so a guide, not a count).
# Needs java (jfr, jcmd), wrk, python3. Results in bench/results/alloc_<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."
JARS=("$@")
[ ${#JARS[@]} -gt 0 ] || JARS=(api/target/caduceus.jar)
SCENARIO=${ALLOC_SCENARIO:-get_patient}
WARMUP=${ALLOC_WARMUP:-20}
SECONDS_MEASURED=${ALLOC_SECONDS:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
export BENCH_TENANTS=${BENCH_TENANTS:-2} BENCH_PATIENTS=${BENCH_PATIENTS:-500}
OUT=bench/results/alloc_$(date +%s)
mkdir -p "$OUT"
SETUP=
cleanup() { [ -z "$SETUP" ] || kill "$SETUP" 2>/dev/null || true; [ -z "${SERVER:-}" ] || kill "$SERVER" 2>/dev/null || true; }
trap cleanup EXIT

for i in "${!JARS[@]}"; do
  jar=${JARS[$i]}
  log="$OUT/setup_$i.log"
  BENCH_JAR=$jar BENCH_PORT=18070 BENCH_SETUP_ONLY=1 bash bench/run.sh > "$log" 2>&1 &
  SETUP=$!
  until grep -q '^== setup only' "$log"; do
    kill -0 "$SETUP" 2>/dev/null || { echo "setup of $jar failed:"; tail -20 "$log"; exit 1; }
    sleep 1
  done
  SERVER=$(sed -nE 's/^== setup only: server pid ([0-9]+).*/\1/p' "$log")
  DATA=$(sed -nE 's/.*BENCH_OUT=([^ ]+) .*/\1/p' "$log" | head -1)
  BENCH_OUT=$DATA wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s "bench/lua/$SCENARIO.lua" http://127.0.0.1:18070 >/dev/null
  jcmd "$SERVER" JFR.start name=alloc settings=profile filename="$(realpath "$OUT")/alloc_$i.jfr" >/dev/null
  BENCH_OUT=$DATA wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_MEASURED}s" -s "bench/lua/$SCENARIO.lua" \
    http://127.0.0.1:18070 > "$OUT/wrk_$i.txt"
  jcmd "$SERVER" JFR.stop name=alloc >/dev/null
  kill "$SERVER" "$SETUP" 2>/dev/null || true
  wait "$SETUP" 2>/dev/null || true
  SERVER= SETUP=
  python3 - "$OUT/alloc_$i.jfr" "$(awk '/requests in/ {print $1}' "$OUT/wrk_$i.txt")" "$jar" <<'PY' | tee -a "$OUT/summary.txt"
import collections, json, subprocess, sys
jfr, requests, jar = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def events(name):
    out = subprocess.run(["jfr", "print", "--json", "--events", name, jfr], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["recording"]["events"]
first, last = {}, {}
for e in sorted(events("jdk.ThreadAllocationStatistics"), key=lambda e: e["values"]["startTime"]):
    v = e["values"]
    name = (v.get("thread") or {}).get("javaName") or "?"
    first.setdefault(name, v["allocated"])
    last[name] = v["allocated"]
loops = sum(last[t] - first[t] for t in last if "eventloop" in t)
everything = sum(last[t] - first[t] for t in last)
print(f"{jar}: {requests} requests; allocated per request: event loops {loops / requests / 1024:.1f} KB, "
      f"all threads {everything / requests / 1024:.1f} KB")
top = collections.Counter()
total = 0
for e in events("jdk.ObjectAllocationSample"):
    v = e["values"]
    if "eventloop" not in ((v.get("eventThread") or {}).get("javaName") or ""):
        continue
    frames = (v.get("stackTrace") or {}).get("frames") or []
    names = [f"{f['method']['type']['name'].split('/')[-1]}.{f['method']['name']}" for f in frames[:5]]
    top[" < ".join(names)] += v["weight"]
    total += v["weight"]
for stack, weight in top.most_common(8):
    print(f"  {weight / total * 100:5.1f}%  {stack}")
PY
done
echo "results in $OUT"
