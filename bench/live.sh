#!/usr/bin/env bash
# Issue 12's live-events figures: LIVE_SOCKETS (1,000) idle WebSockets on one node (./run.sh: embedded PostgreSQL and
# Redis, demo seed), all subscribed to Dr. Rivera's waiting room; then LIVE_CHANGES virtual visits cancelled one after
# the other over REST, each change fanned out to every socket (a read under the socket's own token, an audit row and a
# frame per socket). Prints:
#   - the p50/p99 from a change's commit to its arrival at the sockets (bench/live.mjs; measured from just before
#     the POST, an upper bound, and from its answer);
#   - the node's memory per idle socket: heap after a full GC and VmRSS, idle node vs the same node holding the
#     sockets (jcmd GC.run + GC.heap_info; /proc/<pid>/status), as a delta per socket and as a ratio to the idle node.
# Settings: LIVE_SOCKETS=1000 LIVE_CHANGES=20 LIVE_DEADLINE=600 (seconds the start may take, a build included).
# Needs java (with jcmd), curl, jq, node (20.10+), setsid. Linux only. Results go to bench/results/live-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."

SOCKETS=${LIVE_SOCKETS:-1000}
CHANGES=${LIVE_CHANGES:-20}
DEADLINE=${LIVE_DEADLINE:-600}
RESULTS=bench/results/live-$(date +%Y%m%d-%H%M%S)
DATA=$(mktemp -d "${TMPDIR:-/tmp}/caduceus-live.XXXXXX")
mkdir -p "$RESULTS"
SERVER=
for tool in java jcmd curl jq node setsid; do
  command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
cleanup() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then kill -TERM "$SERVER"; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT
# shellcheck source=bench/free_port.sh
source bench/free_port.sh

PORT=$(free_port)
B=http://127.0.0.1:$PORT
started=$(date +%s)
CADUCEUS_QUOTAS=false CADUCEUS_ACCESS_LOG=false CADUCEUS_DATA_DIR="$DATA" CADUCEUS_HTTP_PORT="$PORT" \
  setsid ./run.sh >"$RESULTS/server.log" 2>&1 &
SERVER=$!
until curl -fsS -o /dev/null --max-time 5 "$B/health/ready" 2>/dev/null; do
  kill -0 "$SERVER" 2>/dev/null || { tail -30 "$RESULTS/server.log" >&2; echo "FAIL: the node exited" >&2; exit 1; }
  [ $(( $(date +%s) - started )) -lt "$DEADLINE" ] || { echo "FAIL: not ready in $DEADLINE s" >&2; exit 1; }
  sleep 0.2
done

J='Content-Type: application/json'
login() { curl -fsS "$B/v1/auth/login" -H "$J" -d "{\"email\":\"$1\",\"password\":\"demo-password-2026\"}" \
  | jq -r .accessToken; }
DOCTOR=$(login dr.rivera@riverside.test)
DESK=$(login frontdesk@riverside.test)
DOC=$(curl -fsS "$B/v1/practitioners" -H "Authorization: Bearer $DESK" \
  | jq -r '.items[] | select(.name.family == "Rivera") | .id' | head -1)
PATIENT=$(curl -fsS "$B/v1/patients" -H "Authorization: Bearer $DESK" | jq -r '.items[0].id')
[ -n "$DOC" ] && [ -n "$PATIENT" ] || { echo "FAIL: no demo practitioner or patient" >&2; exit 1; }

# Virtual visits to cancel, a week ahead in 30-minute slots (free of the demo's own visits).
SESSIONS=""
for i in $(seq 1 "$CHANGES"); do
  start=$(date -u -d "@$(( ($(date +%s) / 1800 + 7 * 48 + i) * 1800 ))" +%FT%TZ)
  end=$(date -u -d "$start +25 min" +%FT%TZ)
  SESSIONS+=" $(curl -fsS "$B/v1/appointments" -H "$J" -H "Authorization: Bearer $DESK" -d "{\"patientId\":\"$PATIENT\",
    \"practitionerId\":\"$DOC\",\"start\":\"$start\",\"end\":\"$end\",\"modality\":\"virtual\"}" | jq -r .sessionId)"
done

# The Java heap in use: G1 prints one line for the heap, the parallel and serial collectors one per generation (the
# first "used" alone was the empty young generation after a full GC); Metaspace and class space are not heap.
heap_kb() { jcmd "$SERVER" GC.run >/dev/null; sleep 1
  jcmd "$SERVER" GC.heap_info | grep -E 'garbage-first heap|PSYoungGen|ParOldGen|def new generation|tenured generation' \
    | grep -oE 'used [0-9]+K' | grep -oE '[0-9]+' | awk '{ sum += $1 } END { print sum }'; }
rss_kb() { awk '$1 == "VmRSS:" {print $2}' "/proc/$SERVER/status"; }

# The idle node, warmed by the bookings, then a full GC.
sleep 5
IDLE_HEAP=$(heap_kb); IDLE_RSS=$(rss_kb)

MARKER=$RESULTS/connected GO=$RESULTS/go BASE=$B SOCKETS=$SOCKETS DOCTOR_TOKEN=$DOCTOR DESK_TOKEN=$DESK \
  PRACTITIONER_ID=$DOC SESSIONS="$SESSIONS" node --experimental-websocket --no-warnings bench/live.mjs \
  >"$RESULTS/live.txt" 2>&1 &
CLIENT=$!
until [ -f "$RESULTS/connected" ]; do
  kill -0 "$CLIENT" 2>/dev/null || { cat "$RESULTS/live.txt" >&2; echo "FAIL: the client exited" >&2; exit 1; }
  sleep 0.2
done
sleep 2
BUSY_HEAP=$(heap_kb); BUSY_RSS=$(rss_kb)
touch "$RESULTS/go"
wait "$CLIENT"

{
  echo "live events on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  cat "$RESULTS/live.txt"
  awk -v n="$SOCKETS" -v ih="$IDLE_HEAP" -v bh="$BUSY_HEAP" -v ir="$IDLE_RSS" -v br="$BUSY_RSS" 'BEGIN {
    printf "heap after full GC: idle %d KiB, with %d sockets %d KiB: %.1f KiB per socket (x%.2f)\n", ih, n, bh, (bh - ih) / n, bh / ih
    printf "RSS: idle %d KiB, with %d sockets %d KiB: %.1f KiB per socket (x%.2f)\n", ir, n, br, (br - ir) / n, br / ir }'
} | tee "$RESULTS/figures.txt"
