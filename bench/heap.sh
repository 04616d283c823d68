#!/usr/bin/env bash
# Retained heap after the README's contract walk (issue 17): what a node keeps once every operation class the walk
# uses has run, so a leak or a cache that grows per request shows as live heap that a full collection cannot free.
#   1. starts ./run.sh (its JVM flags: jvm.options) on a fresh data directory (embedded
#      PostgreSQL and Redis, demo seed) and a free port;
#   2. forces a full collection (jcmd <pid> GC.run) and takes the baseline: live heap (GC.heap_info: the used
#      young and old generations after it), metaspace, RSS (VmRSS of the JVM);
#   3. runs the README's walk (every ```sh block from "Walk the patient journey with curl" to "Live events", with
#      B pointing at this node) HEAP_WALKS times (2), each followed by the same full collection and figures; the
#      second walk repeats the first's requests (idempotent replays, 409s for what exists) on a node that has seen
#      them, so live heap that still grows there is kept per request, not warmed once;
#   4. prints one line per point and the class histogram's top 15 (GC.class_histogram, live objects) after the last.
#
# Settings (environment): HEAP_WALKS=2, HEAP_DATA_DIR (default: a temporary directory, removed at exit),
# HEAP_DEADLINE=600 (seconds the start may take), JAVA_OPTS (as run.sh: replaces its flags).
# Needs java (jcmd), curl, jq, python3, setsid (mvn when run.sh must build). Linux only. Results, the server log and
# each walk's output go to bench/results/heap-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."

WALKS=${HEAP_WALKS:-2}
DEADLINE=${HEAP_DEADLINE:-600}
RESULTS=bench/results/heap-$(date +%Y%m%d-%H%M%S)
KEEP_DATA=${HEAP_DATA_DIR:+yes}
DATA=${HEAP_DATA_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/caduceus-heap.XXXXXX")}
mkdir -p "$RESULTS" "$DATA"
SERVER=

for tool in jcmd curl jq python3 setsid; do
  command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

cleanup() {
  [ -z "${CATCHER:-}" ] || kill "$CATCHER" 2>/dev/null || true
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
    kill -TERM "$SERVER"
    wait "$SERVER" 2>/dev/null || true
  fi
  [ -n "$KEEP_DATA" ] || rm -rf "$DATA"
}
trap cleanup EXIT

# shellcheck source=bench/free_port.sh
source bench/free_port.sh
PORT=$(free_port)
B=http://127.0.0.1:$PORT

# The walk: the README's sh blocks between its two headings, in order, as one script.
awk '/^## Walk the patient journey with curl/ {on = 1} /^## Live events/ {on = 0}
     on && /^```sh$/ {block = 1; next} block && /^```$/ {block = 0; next} block {print}' README.md > "$RESULTS/walk.sh"
[ -s "$RESULTS/walk.sh" ] || { echo "FAIL: no walk found in README.md" >&2; exit 1; }
# Its first line sets B to the README's port; this node's wins. Its mail steps start a mail catcher and a second
# ./run.sh in the foreground: this script starts the node with its own catcher instead (below), writing the same
# mail.log the walk reads (the walk runs in $RESULTS).
sed -i -E -e "s#^B=http://localhost:8080#B=$B#" -e '/^python3 -m aiosmtpd/d' \
  -e '/^CADUCEUS_SMTP_HOST=.*\\$/{N;d}' "$RESULTS/walk.sh"
! grep -q 'run\.sh' "$RESULTS/walk.sh" || { echo "FAIL: the walk would start a server of its own" >&2; exit 1; }

# A mail catcher: a minimal SMTP server that appends every message to mail.log (the walk's password reset and
# email verification read their links there). Python's own, as aiosmtpd may not be installed.
SMTP_PORT=$(free_port)
python3 - "$SMTP_PORT" "$RESULTS/mail.log" <<'PY' > "$RESULTS/smtp.log" 2>&1 &
import asyncio, sys
port, log = int(sys.argv[1]), sys.argv[2]
async def session(reader, writer):
    def say(line): writer.write((line + "\r\n").encode())
    say("220 heap.sh catcher")
    while line := await reader.readline():
        verb = line.decode(errors="replace").strip().upper()
        if verb.startswith(("EHLO", "HELO")): say("250 catcher")
        elif verb == "DATA":
            say("354 go on")
            body = bytearray()
            while (chunk := await reader.readline()) not in (b".\r\n", b".\n", b""):
                body += chunk
            with open(log, "ab") as f: f.write(bytes(body) + b"\n")
            say("250 kept")
        elif verb == "QUIT": say("221 bye"); await writer.drain(); break
        else: say("250 ok")
        await writer.drain()
    writer.close()
async def main():
    server = await asyncio.start_server(session, "127.0.0.1", port)
    async with server: await server.serve_forever()
asyncio.run(main())
PY
CATCHER=$!

echo "== starting ./run.sh on $B (data $DATA); $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" \
  | tee "$RESULTS/figures.txt"
started=$(date +%s)
CADUCEUS_SMTP_HOST=127.0.0.1 CADUCEUS_SMTP_PORT=$SMTP_PORT CADUCEUS_SMTP_STARTTLS=false \
  CADUCEUS_SMTP_FROM=no-reply@caduceus.test CADUCEUS_DATA_DIR="$DATA" CADUCEUS_HTTP_PORT="$PORT" setsid ./run.sh > "$RESULTS/server.log" 2>&1 &
SERVER=$!
until curl -fsS -o /dev/null --max-time 5 "$B/health/ready" 2>/dev/null; do
  kill -0 "$SERVER" 2>/dev/null || { tail -30 "$RESULTS/server.log" >&2; echo "FAIL: the server exited" >&2; exit 1; }
  [ $(( $(date +%s) - started )) -lt "$DEADLINE" ] || { echo "FAIL: not ready in $DEADLINE s" >&2; exit 1; }
  sleep 0.2
done
echo "   ready after $(( $(date +%s) - started )) s" | tee -a "$RESULTS/figures.txt"

# A full collection, then one line: live heap (young + old used), metaspace used, RSS, all in MB.
point() { # name
  jcmd "$SERVER" GC.run > /dev/null
  jcmd "$SERVER" GC.heap_info > "$RESULTS/heap_info_$1.txt"
  local rss
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")
  python3 - "$RESULTS/heap_info_$1.txt" "$1" "$rss" <<'PY' | tee -a "$RESULTS/figures.txt"
import re, sys
text, name, rss = open(sys.argv[1]).read(), sys.argv[2], int(sys.argv[3])
# The heap's spaces ("PSYoungGen", "ParOldGen"; "garbage-first heap"; "def new generation", ...): "total .., used ..".
used = {m.group(1): int(m.group(2)) for m in re.finditer(r"^\s*(\S.*?)\s+total \d+K, used (\d+)K", text, re.M)}
heap = sum(used.values())
meta = re.search(r"Metaspace\s+used (\d+)K", text)
print(f"{name:<14} live heap {heap / 1024:7.1f} MB  ({', '.join(f'{k} {v / 1024:.1f}' for k, v in used.items())})"
      f"  metaspace {int(meta.group(1)) / 1024 if meta else 0:6.1f} MB  RSS {rss / 1024:7.1f} MB")
PY
}

point "after start"
for i in $(seq 1 "$WALKS"); do
  walk_started=$(date +%s)
  # Through a pipe: a step's `tee /dev/stderr` would reopen (and truncate) an output file, not a pipe.
  (cd "$RESULTS" && bash walk.sh 2>&1 | cat > "walk_$i.out") || true
  requests=$(grep -c 'curl -s' "$RESULTS/walk.sh" || true)
  echo "   walk $i: $(( $(date +%s) - walk_started )) s, the walk's ${requests} curl lines" \
    "($(grep -c '"status":5[0-9][0-9]\|"status": 5[0-9][0-9]' "$RESULTS/walk_$i.out" || true) 5xx problem bodies)" \
    | tee -a "$RESULTS/figures.txt"
  point "after walk $i"
done
jcmd "$SERVER" GC.class_histogram > "$RESULTS/class_histogram.txt"
{
  echo "class histogram after walk $WALKS (live objects), top 15:"
  sed -n '1,18p' "$RESULTS/class_histogram.txt" | tail -n +2
  echo "figures in $RESULTS/figures.txt"
} | tee -a "$RESULTS/figures.txt"
