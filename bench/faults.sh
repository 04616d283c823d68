#!/usr/bin/env bash
# The fault tests: each starts nodes of its own (child JVMs, or a node on a PostgreSQL server it owns), so they stay
# out of the default `mvn -B verify` and run here. Each prints its figures; the summary below repeats them.
#   NodeKillTest         kill -9 of a node under write load, with a ledger of acknowledged and in-doubt writes
#   PostgresRestartTest  PostgreSQL stopped and started under load: outcomes per status, time to recover
#   GracefulShutdownTest SIGTERM under load: requests in flight drained, exit status and time
#   LiveNodeKillTest     kill -9 of a node with live sockets: clients reconnect to the other, no acknowledged chat lost
# FAULT_TESTS picks some (a surefire -Dtest pattern, e.g. FAULT_TESTS=NodeKillTest).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p api/target
LOG=api/target/faults.log
status=0
mvn -B -pl api -am verify -Dgroups=fault -Dcaduceus.excludedTests=none \
  -Dtest="${FAULT_TESTS:-NodeKillTest,PostgresRestartTest,GracefulShutdownTest,LiveNodeKillTest}" \
  -Dsurefire.failIfNoSpecifiedTests=false > "$LOG" 2>&1 || status=$?
grep -E '^(kill -9 under|kill -9 with live|PostgreSQL restart under|SIGTERM under|  )' "$LOG" \
  | grep -vE '^  +at |^\s*$' || true
grep -E 'Tests run:.*in io.caduceus|FAILURE!' "$LOG" || true
[ "$status" -eq 0 ] || echo "fault tests failed: the whole output is in $LOG, the nodes' logs under api/target"
exit "$status"
