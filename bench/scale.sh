#!/usr/bin/env bash
# Scale figures (issue 5): the cost of a request with 10, 1,000 and 10,000 tenants in the shared tier and 1,000
# tenants in the schema tier, measured in one run on one machine, as ratios to the first configuration.
#
# For each configuration (BENCH_CONFIGS, "tier:tenants" words, default "shared:10 shared:1000 shared:10000
# schema:1000"), in this order:
#   1. starts a fresh server (api/target/caduceus.jar, as run.sh) on fresh databases;
#   2. onboards every tenant through POST /v1/platform/tenants in its tier (tenant, wrapped data key, first admin's
#      invitation; a schema tenant's schema built by Flyway), BENCH_ONBOARD_CONCURRENCY at a time (schema tenants
#      BENCH_SCHEMA_CONCURRENCY at a time), timed;
#   3. picks BENCH_ACTIVE tenants (all when fewer) with a fixed seed: they get their admin and a receptionist
#      through the API (invitations accepted, Argon2 and all); every other tenant's admin invitation is accepted by
#      SQL (user, membership; the password hash copied from an API-made admin);
#   4. loads BENCH_PATIENTS patients and BENCH_PRACTITIONERS practitioners per tenant with SQL, into public.* for
#      shared tenants and into t_<hex>.* for schema tenants (deterministic ids, as run.sh);
#   5. measures the idle server for BENCH_IDLE seconds: CPU of the server and of its PostgreSQL backends, and
#      transactions per second in its databases (the per-second placement refresh and the due-work scans);
#   6. logs in the active tenants' receptionists and runs the request mix of bench/lua/scale_mix.lua with wrk
#      (BENCH_CONNECTIONS connections, BENCH_WARMUP seconds of warm-up, then BENCH_DURATION seconds measured;
#      BENCH_MIX get/list/book percentages, bookings by the first BENCH_WRITERS active tenants);
#   7. records throughput, p50, p99, non-2xx, peak RSS, GC, PostgreSQL backend memory; stops the server and drops
#      its databases (BENCH_KEEP=1 keeps them).
# BENCH_SERVER_CONFIG names a server configuration file (CADUCEUS_CONFIG), e.g. bench/slow-scans.json.
# Then prints the table, with throughput and p99 as ratios to the first configuration. Raw output: bench/results/<run>/.
#
# Needs: java, psql, wrk, curl, jq; run as a user that can read /proc of the PostgreSQL backends for their CPU and
# memory (root, or the postgres user), else those columns read 0.
set -euo pipefail
cd "$(dirname "$0")/.."

PG=${BENCH_PG_SUPERUSER_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
REDIS=${BENCH_REDIS_URL:-redis://127.0.0.1:6379}
CONFIGS=${BENCH_CONFIGS:-shared:10 shared:1000 shared:10000 schema:1000}
ACTIVE=${BENCH_ACTIVE:-100}
PATIENTS=${BENCH_PATIENTS:-30}
PRACTITIONERS=${BENCH_PRACTITIONERS:-2}
DURATION=${BENCH_DURATION:-60}
WARMUP=${BENCH_WARMUP:-30}
IDLE=${BENCH_IDLE:-30}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
DB_POOL=${BENCH_DB_POOL:-16}
MIX=${BENCH_MIX:-80,15,5}
WRITERS=${BENCH_WRITERS:-8}
ONBOARD_CONCURRENCY=${BENCH_ONBOARD_CONCURRENCY:-4}
SCHEMA_CONCURRENCY=${BENCH_SCHEMA_CONCURRENCY:-1}
SEED=${BENCH_SEED:-42}
JAVA_OPTS=${BENCH_JAVA_OPTS:-$(sed 's/#.*//' jvm.options | xargs)}
PORT=${BENCH_PORT:-18080}
RUN=${BENCH_RUN:-scale_$(date +%s)}
OUT=bench/results/$RUN
mkdir -p "$OUT"
export BENCH_PATIENTS=$PATIENTS BENCH_PRACTITIONERS=$PRACTITIONERS BENCH_MIX=$MIX BENCH_WRITERS=$WRITERS

for tool in java psql wrk curl jq; do
  command -v $tool >/dev/null || { echo "missing $tool (wrk: apt-get install wrk)"; exit 1; }
done
[ -f api/target/caduceus.jar ] || mvn -q -B -DskipTests package

HOSTPORT=$(echo "$PG" | sed -E 's#postgresql://[^@]*@([^/]*)/.*#\1#')
APP_URL() { echo "postgresql://caduceus_app:bench@$HOSTPORT/$1"; }
OWNER_URL() { echo "postgresql://caduceus_owner:bench@$HOSTPORT/$1"; }
SU_URL() { echo "$PG" | sed -E "s#/[^/]*\$#/$1#"; }
B=http://127.0.0.1:$PORT
DRIVER=(java -cp api/target/caduceus.jar bench/Scale.java)
SERVER=
log() { echo "$(date -u +%T) $*" >&2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
ticks() { # user+system CPU clock ticks of the processes given, summed (0 for any gone or unreadable)
  local sum=0 pid t
  for pid in "$@"; do
    t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' /proc/$pid/stat 2>/dev/null || echo 0)
    sum=$((sum + ${t:-0}))
  done
  echo $sum
}
backends() { # the PostgreSQL backends serving this configuration's databases
  psql -tA "$PG" -c "SELECT pid FROM pg_stat_activity WHERE datname IN ('$1', '$2') AND pid <> pg_backend_pid()"
}
anon_mb() { # private anonymous memory (RssAnon) of the processes given, in MB: where backends keep catalog caches
  local kb=0 pid v
  for pid in "$@"; do
    v=$(awk '/^RssAnon/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
    kb=$((kb + ${v:-0}))
  done
  echo $((kb / 1024))
}
machine() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; } # busy ticks of all cores
commits() { psql -tA "$PG" -c "SELECT coalesce(sum(xact_commit + xact_rollback), 0) FROM pg_stat_database WHERE datname IN ('$1', '$2')"; }
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v / 1000; else if (v ~ /ms$/) printf "%.3f", v + 0;
  else if (v ~ /s$/) printf "%.3f", v * 1000; else print "0" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
gc() { # young+full GC count and time (ms) of the server, from jstat
  jstat -gc "$1" 2>/dev/null | awk 'NR==1 { for (i = 1; i <= NF; i++) h[$i] = i }
    NR==2 { printf "%d %d\n", $h["YGC"] + $h["FGC"], ($h["GCT"]) * 1000 }' || echo "0 0"
}
stop_server() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
  SERVER=
}
trap stop_server EXIT

psql -q "$PG" -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'caduceus_owner') THEN CREATE ROLE caduceus_owner LOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'caduceus_app') THEN CREATE ROLE caduceus_app LOGIN; END IF;
END \$\$; ALTER ROLE caduceus_owner PASSWORD 'bench'; ALTER ROLE caduceus_app PASSWORD 'bench';" >/dev/null

{
  echo "run $RUN: $(date -u +%FT%TZ), $(nproc) cores, PostgreSQL $(psql -tA "$PG" -c 'show server_version')"
  [ -z "${BENCH_SERVER_CONFIG:-}" ] || echo "server configuration file: $BENCH_SERVER_CONFIG: $(tr -d '\n ' < "$BENCH_SERVER_CONFIG")"
  echo "configs: $CONFIGS; active tenants $ACTIVE (seed $SEED); $PATIENTS patients and $PRACTITIONERS practitioners per tenant"
  echo "mix get/list/book $MIX % (bookings by the first $WRITERS active tenants; 0 = all); wrk $CONNECTIONS connections, $THREADS threads, ${WARMUP}s warm-up, ${DURATION}s measured"
} | tee "$OUT/settings.txt"

: > "$OUT/rows.txt"
for config in $CONFIGS; do
  TIER=${config%%:*}
  COUNT=${config##*:}
  NAME=${TIER}x${COUNT}
  C=$OUT/$NAME
  mkdir -p "$C"
  export BENCH_OUT=$C
  GLOBAL_DB=${RUN}_${TIER}${COUNT}_global
  REGION_DB=${RUN}_${TIER}${COUNT}_us

  log "== $NAME: starting the server (databases $GLOBAL_DB, $REGION_DB)"
  CADUCEUS_DB_SUPERUSER_URL=$PG \
  CADUCEUS_GLOBAL_DB_URL=$(APP_URL "$GLOBAL_DB") CADUCEUS_GLOBAL_DB_OWNER_URL=$(OWNER_URL "$GLOBAL_DB") \
  CADUCEUS_REGIONS=us CADUCEUS_REGION_US_DB_URL=$(APP_URL "$REGION_DB") \
  CADUCEUS_REGION_US_DB_OWNER_URL=$(OWNER_URL "$REGION_DB") \
  CADUCEUS_REDIS_URL=$REDIS CADUCEUS_REDIS_KEY_PREFIX="$RUN-$NAME:" CADUCEUS_MASTER_KEY=$(head -c32 /dev/urandom | base64) \
  CADUCEUS_HTTP_PORT=$PORT CADUCEUS_ACCESS_LOG=false CADUCEUS_DB_POOL_SIZE=$DB_POOL CADUCEUS_DEMO_SEED=true \
  CADUCEUS_QUOTAS="${BENCH_QUOTAS:-false}" \
    env ${BENCH_SERVER_CONFIG:+CADUCEUS_CONFIG=$BENCH_SERVER_CONFIG} java $JAVA_OPTS -jar api/target/caduceus.jar > "$C/server.log" 2>&1 &
  SERVER=$!
  until curl -sf $B/health/ready >/dev/null; do
    kill -0 $SERVER 2>/dev/null || { echo "server died:"; tail -5 "$C/server.log"; exit 1; }
    sleep 0.2
  done

  # 2. Every tenant through the platform API.
  CONCURRENCY=$([ "$TIER" = shared ] && echo "$ONBOARD_CONCURRENCY" || echo "$SCHEMA_CONCURRENCY")
  log "   onboarding $COUNT $TIER tenants through the API, $CONCURRENCY at once"
  T0=$(now_ms)
  "${DRIVER[@]}" onboard $B "$TIER" 1 "$COUNT" "$CONCURRENCY" "$C/onboarded.txt" | tee "$C/onboard.txt" >&2
  # The driver's own wall time (without compiling it): total seconds and milliseconds per tenant.
  ONBOARD_S=$(awk '/^onboarded/ { for (i = 1; i < NF; i++) if ($i == "in") { printf "%.0f", $(i + 1); exit } }' "$C/onboard.txt")
  ONBOARD_MS_EACH=$(awk '/^onboarded/ { for (i = 1; i < NF; i++) if ($i == "per" && $(i + 1) == "tenant") {
    printf "%.0f", $(i - 2); exit } }' "$C/onboard.txt")

  # 3. The active tenants: a fixed-seed sample, so shared x1000 and schema x1000 send traffic to the same numbers.
  # (awk, not head, takes the first lines: head would close the pipe early and fail the pipeline on SIGPIPE.)
  seq 1 "$COUNT" | awk -v seed="$SEED" 'BEGIN { srand(seed) } { printf "%.9f %d\n", rand(), $1 }' | sort -k1,1 \
    | awk -v n="$ACTIVE" 'NR <= n {print $2}' | sort -n > "$C/active.n"
  awk 'NR==FNR { a[$1] = 1; next } ($1 in a)' "$C/active.n" "$C/onboarded.txt" > "$C/active_onboarded.txt"
  log "   $(wc -l < "$C/active.n") active tenants: admin and receptionist through the API"
  T0=$(now_ms)
  "${DRIVER[@]}" staff $B "$C/active_onboarded.txt" 2 "$C/staff.txt"
  STAFF_S=$(awk -v ms=$(( $(now_ms) - T0 )) 'BEGIN { printf "%.0f", ms / 1000 }')

  log "   the other tenants' admins by SQL; $PATIENTS patients and $PRACTITIONERS practitioners per tenant by SQL"
  T0=$(now_ms)
  FIRST_ADMIN="admin-$(head -1 "$C/active.n")@scale.test"
  psql -q -v ON_ERROR_STOP=1 "$(SU_URL "$GLOBAL_DB")" <<SQL
CREATE TEMP TABLE filler AS
  SELECT i.id AS invitation_id, i.tenant_id, i.email, gen_random_uuid() AS user_id
  FROM invitation i JOIN tenant t ON t.id = i.tenant_id
  WHERE t.slug LIKE 'scale-%' AND i.accepted_at IS NULL AND i.email LIKE 'admin-%@scale.test';
INSERT INTO app_user (id, email, display_name, password_hash)
  SELECT f.user_id, f.email, 'Admin', (SELECT password_hash FROM app_user WHERE email = '$FIRST_ADMIN') FROM filler f;
UPDATE invitation i SET accepted_at = now(), accepted_by = f.user_id FROM filler f WHERE i.id = f.invitation_id;
INSERT INTO membership (user_id, tenant_id, roles) SELECT user_id, tenant_id, ARRAY['tenant_admin'] FROM filler;
SQL
  # n, tenant id, a member's user id (the receptionist where there is one) and the tier, per tenant.
  psql -tA -F' ' "$(SU_URL "$GLOBAL_DB")" -c "SELECT substring(t.slug FROM 7)::int AS n, t.id,
      (SELECT m.user_id FROM membership m JOIN app_user u ON u.id = m.user_id WHERE m.tenant_id = t.id
       ORDER BY u.email LIKE 'desk-%' DESC LIMIT 1), t.isolation_tier
    FROM tenant t WHERE t.slug LIKE 'scale-%' ORDER BY 1" > "$C/tenants.txt"
  [ "$(wc -l < "$C/tenants.txt")" -eq "$COUNT" ] || { echo "expected $COUNT tenants in $C/tenants.txt"; exit 1; }
  PATIENT_ID="('00000000-0000-7000-8000-' || lpad(to_hex(t.n::bigint * 10000000 + k), 12, '0'))::uuid"
  PRACTITIONER_ID="('00000000-0000-7000-9000-' || lpad(to_hex(t.n::bigint * 10000000 + p), 12, '0'))::uuid"
  {
    echo "CREATE TEMP TABLE bench_tenant (n int, tenant_id uuid, user_id uuid, tier text);"
    echo "\\copy bench_tenant FROM '$(realpath "$C/tenants.txt")' WITH (DELIMITER ' ')"
    # One pair of statements for the shared tables, one per tenant schema (the same SELECT, its own tables).
    awk '$4 == "shared" { shared = 1 } $4 == "schema" { print $1, $2 } END { if (shared) print "shared" }' \
        "$C/tenants.txt" | while read -r n tid; do
      if [ "$n" = shared ]; then
        schema=public
        where="t.tier = 'shared'"
      else
        schema=t_${tid//-/}
        where="t.n = $n"
      fi
      echo "INSERT INTO $schema.practitioner (tenant_id, id, family_name, given_name, specialty)
  SELECT t.tenant_id, $PRACTITIONER_ID, 'Doctor' || p, 'Bench', 'Family medicine'
  FROM bench_tenant t, generate_series(1, $PRACTITIONERS) p WHERE $where;"
      echo "INSERT INTO $schema.patient (tenant_id, id, mrn, family_name, given_name, birth_date, sex, contact,
  created_by, updated_by)
  SELECT t.tenant_id, $PATIENT_ID, 'B' || t.n || '-' || k, 'Family' || (k % 5000), 'Given' || k,
         date '1950-01-01' + (k % 20000), (ARRAY['female','male','other','unknown'])[1 + k % 4],
         jsonb_build_object('phone', '+1 555 ' || k), t.user_id, t.user_id
  FROM bench_tenant t, generate_series(1, $PATIENTS) k WHERE $where;"
    done
  } > "$C/load.sql"
  psql -q -v ON_ERROR_STOP=1 -1 -f "$C/load.sql" "$(SU_URL "$REGION_DB")"
  psql -q "$(SU_URL "$REGION_DB")" -c "ANALYZE"
  psql -q "$(SU_URL "$GLOBAL_DB")" -c "ANALYZE"
  LOAD_S=$(awk -v ms=$(( $(now_ms) - T0 )) 'BEGIN { printf "%.0f", ms / 1000 }')

  # 5. Idle: what the server and its backends spend with no requests (placement refresh, due-work scans).
  sleep 10
  log "   idle for ${IDLE}s: server and backend CPU, transactions"
  mapfile -t PIDS < <(backends "$GLOBAL_DB" "$REGION_DB")
  HZ=$(getconf CLK_TCK)
  S0=$(ticks $SERVER); P0=$(ticks "${PIDS[@]}"); X0=$(commits "$GLOBAL_DB" "$REGION_DB")
  sleep "$IDLE"
  S1=$(ticks $SERVER); P1=$(ticks "${PIDS[@]}"); X1=$(commits "$GLOBAL_DB" "$REGION_DB")
  IDLE_SERVER=$(awk -v d=$((S1 - S0)) -v hz="$HZ" -v s="$IDLE" 'BEGIN { printf "%.1f", 100 * d / hz / s }')
  IDLE_PG=$(awk -v d=$((P1 - P0)) -v hz="$HZ" -v s="$IDLE" 'BEGIN { printf "%.1f", 100 * d / hz / s }')
  IDLE_XACT=$(awk -v d=$((X1 - X0)) -v s="$IDLE" 'BEGIN { printf "%.0f", d / s }')
  IDLE_BACKENDS=${#PIDS[@]}
  IDLE_PG_MB=$(anon_mb "${PIDS[@]}")

  # 6. The request mix.
  "${DRIVER[@]}" tokens $B "$C/active_onboarded.txt" 4 "$C/tenants.lua"
  log "   wrk warm-up ${WARMUP}s, then ${DURATION}s measured ($CONNECTIONS connections)"
  BENCH_SLOT_BLOCK=0 wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/lua/scale_mix.lua $B \
    > "$C/wrk_warmup.txt" 2>&1 || true
  read -r GC0 GCT0 <<< "$(gc $SERVER)"
  X0=$(commits "$GLOBAL_DB" "$REGION_DB")
  rm -f "$C/stop-rss"
  ( peak=0; while [ ! -f "$C/stop-rss" ]; do
      now=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status 2>/dev/null || echo 0)
      [ "${now:-0}" -gt "$peak" ] && peak=$now; sleep 0.5
    done; echo $((peak / 1024)) > "$C/rss_peak" ) &
  WATCHER=$!
  mapfile -t PIDS < <(backends "$GLOBAL_DB" "$REGION_DB")
  S0=$(ticks $SERVER); P0=$(ticks "${PIDS[@]}"); M0=$(machine)
  BENCH_SLOT_BLOCK=1 wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/lua/scale_mix.lua $B \
    > "$C/wrk.txt" 2> "$C/wrk.errors"
  S1=$(ticks $SERVER); P1=$(ticks "${PIDS[@]}"); M1=$(machine)
  touch "$C/stop-rss"; wait $WATCHER
  read -r GC1 GCT1 <<< "$(gc $SERVER)"
  X1=$(commits "$GLOBAL_DB" "$REGION_DB")
  RPS=$(awk '/Requests\/sec/ {print $2}' "$C/wrk.txt")
  P50=$(awk '$1=="50%" {print $2}' "$C/wrk.txt")
  P99=$(awk '$1=="99%" {print $2}' "$C/wrk.txt")
  NON2XX=$(awk '/Non-2xx/ {print $5}' "$C/wrk.txt"); NON2XX=${NON2XX:-0}
  SOCKET=$(awk -F'Socket errors: ' '/Socket errors/ {print $2}' "$C/wrk.txt")
  LOAD_SERVER_CPU=$(awk -v d=$((S1 - S0)) -v hz="$HZ" -v s="$DURATION" 'BEGIN { printf "%.0f", 100 * d / hz / s }')
  LOAD_PG_CPU=$(awk -v d=$((P1 - P0)) -v hz="$HZ" -v s="$DURATION" 'BEGIN { printf "%.0f", 100 * d / hz / s }')
  # Everything else on the machine (wrk included) while measuring: the noise this configuration saw.
  LOAD_OTHERS=$(awk -v d=$((M1 - M0 - (S1 - S0) - (P1 - P0))) -v hz="$HZ" -v s="$DURATION" \
    'BEGIN { printf "%.0f", 100 * d / hz / s }')
  LOAD_XACT=$(awk -v d=$((X1 - X0)) -v s="$DURATION" 'BEGIN { printf "%.0f", d / s }')

  # 7. After the traffic: backend memory, catalog size, the placement refresh query, the database's size.
  mapfile -t PIDS < <(backends "$GLOBAL_DB" "$REGION_DB")
  AFTER_PG_MB=$(anon_mb "${PIDS[@]}")
  RELATIONS=$(psql -tA "$(SU_URL "$REGION_DB")" -c "SELECT count(*) FROM pg_class")
  REGION_MB=$(psql -tA "$PG" -c "SELECT pg_database_size('$REGION_DB') / 1048576")
  PLACED_MS=$(psql -tA "$(SU_URL "$GLOBAL_DB")" -c "EXPLAIN (ANALYZE, FORMAT JSON) SELECT id, data_region,
      isolation_tier, move_state, (isolation_tier = 'shared' OR place_version IS NOT NULL) AND place_failure IS NULL
      AS usable FROM tenant WHERE isolation_tier <> 'shared' OR move_state IS NOT NULL" \
    | jq '.[0]["Execution Time"]')
  {
    echo "onboarding: $(cat "$C/onboard.txt")"
    echo "staff for active tenants: ${STAFF_S}s; SQL load: ${LOAD_S}s"
    echo "idle ${IDLE}s: server CPU ${IDLE_SERVER}% of one core, its $IDLE_BACKENDS PostgreSQL backends ${IDLE_PG}%," \
      "$IDLE_XACT transactions/s, backends' private memory ${IDLE_PG_MB} MB"
    echo "under load: server CPU ${LOAD_SERVER_CPU}% of one core, its backends ${LOAD_PG_CPU}%, everything else" \
      "on the machine (wrk included) ${LOAD_OTHERS}%; $LOAD_XACT transactions/s; GC $((GC1 - GC0)) collections," \
      "$((GCT1 - GCT0)) ms; peak RSS $(cat "$C/rss_peak") MB"
    echo "after: backends' private memory ${AFTER_PG_MB} MB (${#PIDS[@]} backends); region database $REGION_MB MB," \
      "$RELATIONS relations; placement refresh query ${PLACED_MS} ms"
    echo "wrk: $RPS req/s, p50 $P50, p99 $P99, non-2xx $NON2XX${SOCKET:+, socket errors $SOCKET}"
    cat "$C/wrk.errors"
  } | tee "$C/summary.txt" >&2
  echo "$NAME $RPS $(to_ms "$P50") $(to_ms "$P99") $NON2XX $ONBOARD_S $ONBOARD_MS_EACH $LOAD_S $IDLE_SERVER $IDLE_PG" \
    "$IDLE_XACT $IDLE_PG_MB $AFTER_PG_MB $(cat "$C/rss_peak") $LOAD_SERVER_CPU $LOAD_PG_CPU $LOAD_OTHERS $PLACED_MS" \
    >> "$OUT/rows.txt"

  stop_server
  if [ -z "${BENCH_KEEP:-}" ]; then
    log "   dropping $GLOBAL_DB and $REGION_DB"
    psql -q "$PG" -c "DROP DATABASE IF EXISTS \"$REGION_DB\" WITH (FORCE)" -c "DROP DATABASE IF EXISTS \"$GLOBAL_DB\" WITH (FORCE)"
  fi
done

{
  echo
  cat "$OUT/settings.txt"
  printf '%-14s %9s %9s %9s %6s %8s %8s | %8s %8s | %8s %8s %8s %7s | %7s %7s %7s %7s\n' configuration "req/s" \
    "p50 ms" "p99 ms" non2xx "x req/s" "x p99" "onboard" "ms each" "idle CPU" "idle PG" "idle tx" "PG MB" \
    "server" "PG" "others" "RSS MB"
  read -r BASE_NAME BASE_RPS _ BASE_P99 _ < "$OUT/rows.txt"
  while read -r name rps p50 p99 non2xx onboard each load idle_server idle_pg idle_xact idle_mb after_mb rss cpu \
      pg_cpu others placed; do
    printf '%-14s %9s %9s %9s %6s %8s %8s | %7ss %8s | %7s%% %7s%% %8s %7s | %6s%% %6s%% %6s%% %7s\n' "$name" \
      "$rps" "$p50" "$p99" "$non2xx" "$(ratio "$rps" "$BASE_RPS")" "$(ratio "$p99" "$BASE_P99")" "$onboard" "$each" \
      "$idle_server" "$idle_pg" "$idle_xact" "$after_mb" "$cpu" "$pg_cpu" "$others" "$rss"
  done < "$OUT/rows.txt"
  echo "x req/s, x p99: ratio to $BASE_NAME in this run. onboard: wall time to onboard every tenant through the API"
  echo "(ms each: per tenant). idle CPU: server, % of one core over ${IDLE}s idle; idle PG: its PostgreSQL backends;"
  echo "idle tx: transactions/s in its databases while idle. PG MB: the backends' private memory after the traffic."
  echo "Under load, % of one core (200 % = both): server, its PostgreSQL backends, everything else (wrk and other"
  echo "users of the machine: the noise). RSS MB: the server's peak RSS under load."
  echo "Per configuration: $OUT/<configuration>/summary.txt (and wrk output, server log, onboarding timings)."
} | tee "$OUT/summary.txt"
