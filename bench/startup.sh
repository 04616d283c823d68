#!/usr/bin/env bash
# The first five minutes: what ./run.sh costs on a first start, on the second, and after a source change.
#
# Every start runs ./run.sh (embedded PostgreSQL and Redis, demo seed) on one data directory of this run and a free
# port, timed from the command to the first 200 of GET /health/ready; the server is then stopped with SIGTERM, as
# Ctrl-C would, which is when the JVM writes its class-data-sharing archive. The starts:
#   1. first:  a fresh data directory (PostgreSQL unpacked and initialised, migrations, demo seed), no archive yet;
#              it builds first if the jar is missing or stale, and says so;
#   2. second: the same directory, nothing changed;
#   3. changed (STARTUP_CHANGE=1 only): after a comment is appended to a source file (removed again on exit, so the
#              next ./run.sh builds once more);
#   4. again:  the start after that.
# It fails (exit 1) unless: the second start built nothing (the jar keeps its modification time) and mapped the
# archive the first start recorded; and, with STARTUP_CHANGE=1, the changed start rebuilt and the next one mapped
# the archive the changed one recorded. Figures and server logs go to bench/results/startup-<time>/.
#
# STARTUP_DEADLINE (seconds, default 1800) bounds each start, build included.
# Needs java, curl, setsid, and mvn when a build is due. Linux: the archive check reads /proc/<pid>/maps.
set -euo pipefail
cd "$(dirname "$0")/.."

RESULTS=bench/results/startup-$(date +%Y%m%d-%H%M%S)
DATA=$(mktemp -d "${TMPDIR:-/tmp}/caduceus-startup.XXXXXX")
CHANGED_FILE=api/src/main/java/io/caduceus/api/Main.java
# A deadline, not an expectation: a build and a first start on a loaded two-core machine can take many minutes.
DEADLINE=${STARTUP_DEADLINE:-1800}
mkdir -p "$RESULTS"
SERVER=

cleanup() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
    # The server runs in its own process group: a build in progress (run.sh's Maven) stops with it.
    kill -TERM -- "-$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
  if [ -f "$RESULTS/Main.java.orig" ]; then
    cp "$RESULTS/Main.java.orig" "$CHANGED_FILE" && rm "$RESULTS/Main.java.orig"
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT

# shellcheck source=bench/free_port.sh
source bench/free_port.sh

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Starts ./run.sh, waits for /health/ready, checks what the caller asks, stops the server; prints one line.
start() {
  local name=$1 port log started ready jar_before
  port=$(free_port)
  log="$RESULTS/$name.log"
  jar_before=$(stat -c %Y api/target/caduceus.jar 2>/dev/null || echo none)
  started=$(date +%s%N)
  CADUCEUS_DATA_DIR="$DATA" CADUCEUS_HTTP_PORT="$port" setsid ./run.sh >"$log" 2>&1 &
  SERVER=$!
  until curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$port/health/ready" 2>/dev/null; do
    kill -0 "$SERVER" 2>/dev/null || { tail -30 "$log" >&2; fail "$name start exited"; }
    [ $(( ($(date +%s%N) - started) / 1000000000 )) -lt "$DEADLINE" ] || fail "$name start not ready in $DEADLINE s"
    sleep 0.1
  done
  ready=$(( ($(date +%s%N) - started) / 1000000 ))
  BUILT=no
  grep -q '^Building Caduceus' "$log" && BUILT=yes
  JAR_KEPT=no
  [ "$jar_before" = "$(stat -c %Y api/target/caduceus.jar)" ] && JAR_KEPT=yes
  MAPPED=none
  for archive in "$DATA"/caduceus-*.jsa; do
    grep -qF "$(readlink -f "$archive")" "/proc/$SERVER/maps" && MAPPED=$(basename "$archive")
  done
  kill -TERM "$SERVER"
  wait "$SERVER" || true
  SERVER=
  RECORDED=$(cd "$DATA" && ls caduceus-*.jsa 2>/dev/null || echo none)
  printf '%-8s ready in %6d ms (banner: %s ms)  built: %-3s  archive mapped: %s  after exit: %s\n' "$name" \
    "$ready" "$(grep -o 'ready in [0-9]* ms' "$log" | grep -o '[0-9]*' || echo '?')" "$BUILT" "$MAPPED" \
    "$RECORDED" | tee -a "$RESULTS/figures.txt"
}

echo "run.sh starts on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$RESULTS/figures.txt"
start first
FIRST_ARCHIVE=$RECORDED
[ "$FIRST_ARCHIVE" != none ] || fail "the first start recorded no class-data-sharing archive"

start second
[ "$BUILT" = no ] && [ "$JAR_KEPT" = yes ] || fail "the second start rebuilt the jar although no source changed"
[ "$MAPPED" = "$FIRST_ARCHIVE" ] || fail "the second start did not map the archive the first recorded"

if [ "${STARTUP_CHANGE:-0}" = 1 ]; then
  cp "$CHANGED_FILE" "$RESULTS/Main.java.orig"
  echo "// startup.sh: a source change $(date +%s%N)" >>"$CHANGED_FILE"
  start changed
  [ "$BUILT" = yes ] && [ "$JAR_KEPT" = no ] || fail "a changed source did not rebuild the jar"
  CHANGED_ARCHIVE=$RECORDED
  [ "$CHANGED_ARCHIVE" != "$FIRST_ARCHIVE" ] || fail "the rebuilt jar kept the old jar's archive"
  start again
  [ "$BUILT" = no ] && [ "$MAPPED" = "$CHANGED_ARCHIVE" ] || fail "the start after the rebuild did not map its archive"
fi
echo "ok; figures in $RESULTS/figures.txt"
