# A server started by a bench script, waited for and stopped (sourced by restart.sh and startcpu.sh). The caller
# starts the process in the background and sets SERVER to its pid (the JVM itself: run.sh execs java).

# Waits until the server answers GET /health/ready; exits the script if it dies first or is not ready within
# DEADLINE seconds (600 unless the caller set it). Sets READY_MS, the milliseconds since `started` (date +%s%N).
await_ready() { # port log name started
  local port=$1 log=$2 name=$3 started=$4
  until curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$port/health/ready" 2>/dev/null; do
    kill -0 "$SERVER" 2>/dev/null || { tail -30 "$log" >&2; echo "FAIL: $name exited" >&2; exit 1; }
    if [ $(( ($(date +%s%N) - started) / 1000000000 )) -ge "${DEADLINE:-600}" ]; then
      echo "FAIL: $name not ready in ${DEADLINE:-600} s" >&2
      exit 1
    fi
    sleep 0.05
  done
  READY_MS=$(( ($(date +%s%N) - started) / 1000000 ))
}

stop_server() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
    kill -TERM "$SERVER"
    wait "$SERVER" 2>/dev/null || true
  fi
  SERVER=
}

# The server's own account of the start: the phases line it logs once ready. Readiness answers as soon as the API
# verticles are up, and the line follows the background verticles' deployment a moment later, so it is awaited
# (up to 10 s) rather than read at once.
phases() { # log
  local waited=0
  until grep -aq '"message":"ready in ' "$1" || [ $waited -ge 200 ]; do sleep 0.05; waited=$((waited + 1)); done
  grep -ao '"message":"ready in [^"]*"' "$1" | sed -E 's/"message":"(.*)"/\1/' || echo '(no phase line)'
}
