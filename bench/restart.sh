#!/usr/bin/env bash
# Issue 17's two figures for the README's start command (./run.sh: embedded PostgreSQL and Redis, demo seed):
#   (a) restart to ready: ./run.sh restarted RESTART_COUNT times on one warm data directory, each timed from the
#       command to the first 200 of GET /health/ready and stopped with SIGTERM; prints every start, its own phase
#       line ("ready in ... (jvm ..., postgres ..., ...)") and the median. A first start, not counted, initialises
#       the directory (PostgreSQL, migrations, demo seed) and records the class-data-sharing archive at its exit, so
#       the counted starts are restarts as an operator sees them.
#   (b) RSS under load: one more start, then wrk on GET /v1/patients/{id} (the demo tenant's patients, one front
#       desk token) for RESTART_LOAD_SECONDS while VmRSS is sampled every half second from /proc/<pid>/status: the
#       server JVM, the embedded PostgreSQL processes (postmaster and backends, summed; their Pss too, since the
#       backends share the buffer pool, which a sum of RSS counts once per backend) and embedded Redis. Prints the
#       peak and the last sample of each, and wrk's throughput and non-2xx count.
#
# Settings (environment): RESTART_COUNT=5  RESTART_LOAD_SECONDS=20  RESTART_CONNECTIONS=16  RESTART_THREADS=2
#   RESTART_DATA_DIR (default: a new temporary directory, removed at exit; give one to keep it warm between runs)
#   RESTART_DEADLINE=600 (seconds each start may take, a build included). The load runs with CADUCEUS_QUOTAS=false
#   and CADUCEUS_ACCESS_LOG=false, as bench/run.sh does, so neither throttling nor log writing shapes the figures.
# Needs java, curl, jq, wrk, setsid (and mvn when run.sh must build). Linux only (/proc). Results and server logs go
# to bench/results/restart-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${RESTART_COUNT:-5}
LOAD=${RESTART_LOAD_SECONDS:-20}
CONNECTIONS=${RESTART_CONNECTIONS:-16}
THREADS=${RESTART_THREADS:-2}
DEADLINE=${RESTART_DEADLINE:-600}
RESULTS=bench/results/restart-$(date +%Y%m%d-%H%M%S)
KEEP_DATA=${RESTART_DATA_DIR:+yes}
DATA=${RESTART_DATA_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/caduceus-restart.XXXXXX")}
mkdir -p "$RESULTS" "$DATA"
SERVER=
PORT=

for tool in java curl jq wrk setsid; do
  command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

cleanup() {
  stop_server
  [ -n "$KEEP_DATA" ] || rm -rf "$DATA"
}
trap cleanup EXIT

# shellcheck source=bench/free_port.sh
source bench/free_port.sh
# shellcheck source=bench/server.sh
source bench/server.sh

# Starts ./run.sh in its own process group (run.sh execs java, so $SERVER is the JVM) and waits for readiness;
# sets READY_MS.
start_server() { # name [environment assignments...]
  local name=$1 started
  PORT=$(free_port)
  started=$(date +%s%N)
  env "${@:2}" CADUCEUS_DATA_DIR="$DATA" CADUCEUS_HTTP_PORT="$PORT" setsid ./run.sh >"$RESULTS/$name.log" 2>&1 &
  SERVER=$!
  await_ready "$PORT" "$RESULTS/$name.log" "$name" "$started"
}

# The sum of one field (VmRSS of status, Pss of smaps_rollup) over processes; one awk, so sampling stays cheap.
sum_kb() { # field file pid...
  local field=$1 file=$2 pid files=()
  shift 2
  for pid in "$@"; do files+=("/proc/$pid/$file"); done
  [ ${#files[@]} -gt 0 ] || { echo 0; return; }
  cat "${files[@]}" 2>/dev/null | awk -v f="$field:" '$1 == f {s += $2} END {print s + 0}'
}

# The postmaster of this data directory and its children (backends and background workers), now.
postgres_pids() {
  local postmaster
  postmaster=$(head -1 "$DATA/postgres/pgdata/postmaster.pid" 2>/dev/null || true)
  [ -n "$postmaster" ] || return 0
  echo "$postmaster"
  ps -o pid= --ppid "$postmaster" || true
}

# The embedded Redis: a redis-server the JVM started as its child.
redis_pids() {
  ps -o pid=,comm= --ppid "$SERVER" | awk '$2 ~ /redis/ {print $1}' || true
}

echo "restarts of ./run.sh on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$RESULTS/figures.txt"
start_server warm-up
echo "warm-up (first start, not counted): ready in $READY_MS ms" | tee -a "$RESULTS/figures.txt"
stop_server

TIMES=()
for i in $(seq 1 "$COUNT"); do
  start_server "restart-$i"
  TIMES+=("$READY_MS")
  printf 'restart %d: ready in %6d ms; server: %s\n' "$i" "$READY_MS" "$(phases "$RESULTS/restart-$i.log")" \
    | tee -a "$RESULTS/figures.txt"
  stop_server
done
MEDIAN=$(printf '%s\n' "${TIMES[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}')
echo "restart to ready, median of $COUNT: $MEDIAN ms" | tee -a "$RESULTS/figures.txt"

# (b) RSS under load.
start_server load CADUCEUS_QUOTAS=false CADUCEUS_ACCESS_LOG=false
B=http://127.0.0.1:$PORT
TOKEN=$(curl -fsS "$B/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"frontdesk@riverside.test","password":"demo-password-2026"}' | jq -r .accessToken)
IDS=$(curl -fsS "$B/v1/patients" -H "Authorization: Bearer $TOKEN" \
  | jq -r '[.. | objects | .id? // empty | strings | select(test("^[0-9a-f-]{36}$"))] | unique | .[]')
[ -n "$IDS" ] || { echo "FAIL: the demo tenant lists no patients" >&2; exit 1; }
{
  echo "-- GET /v1/patients/{id}: a random demo patient, one front desk token (written by restart.sh)."
  echo "local ids = {"
  printf '  "%s",\n' $IDS
  echo "}"
  echo "local headers = { [\"Authorization\"] = \"Bearer $TOKEN\" }"
  echo 'function request() return wrk.format("GET", "/v1/patients/" .. ids[math.random(#ids)], headers) end'
} >"$RESULTS/get_patient.lua"

rm -f "$RESULTS/samples.txt"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${LOAD}s" -s "$RESULTS/get_patient.lua" "$B" >"$RESULTS/wrk.txt" 2>&1 &
WRK=$!
while kill -0 "$WRK" 2>/dev/null; do
  read -r -a PG_PIDS <<<"$(postgres_pids | tr '\n' ' ')"
  read -r -a REDIS_PIDS <<<"$(redis_pids | tr '\n' ' ')"
  echo "$(sum_kb VmRSS status "$SERVER") $(sum_kb VmRSS status "${PG_PIDS[@]}") \
    $(sum_kb Pss smaps_rollup "${PG_PIDS[@]}") $(sum_kb VmRSS status "${REDIS_PIDS[@]}")" >>"$RESULTS/samples.txt"
  sleep 0.5
done
wait "$WRK" || true
awk '
  { for (i = 1; i <= 4; i++) { if ($i > peak[i]) peak[i] = $i; last[i] = $i } }
  END {
    split("server JVM (VmRSS)|PostgreSQL, summed VmRSS|PostgreSQL, summed Pss|Redis (VmRSS)", name, "|")
    printf "RSS under load (%d samples), MB:        peak     last\n", NR
    for (i = 1; i <= 4; i++) printf "  %-30s %8.1f %8.1f\n", name[i], peak[i] / 1024, last[i] / 1024
  }' "$RESULTS/samples.txt" | tee -a "$RESULTS/figures.txt"
{
  echo "wrk: $(awk '/Requests\/sec/ {print $2}' "$RESULTS/wrk.txt") requests/s, non-2xx: $(awk '/Non-2xx/ {print $5}' \
    "$RESULTS/wrk.txt" | grep . || echo 0) ($CONNECTIONS connections, $THREADS threads, ${LOAD}s)"
  echo "figures in $RESULTS/figures.txt"
} | tee -a "$RESULTS/figures.txt"
