#!/usr/bin/env bash
# Caduceus baseline benchmark, measured in one run on one machine:
#   1. starts the server against PostgreSQL (fresh databases) and Redis;
#   2. onboards N tenants through the API and loads M patients and P practitioners per tenant;
#   3. measures GET /v1/patients/{id} and POST /v1/appointments with wrk (throughput, p50, p99);
#   4. runs pgbench with the same statements, as the same database role, on the same database, and prints the
#      ratio of the API's throughput to pgbench's.
#
# Needs: java, mvn (unless the jar is built), psql, pgbench, wrk, curl, jq. Settings (environment):
#   BENCH_PG_SUPERUSER_URL  postgresql://postgres@127.0.0.1:5432/postgres   (trust or password auth)
#   BENCH_REDIS_URL         redis://127.0.0.1:6379
#   BENCH_TENANTS=10 BENCH_PATIENTS=10000 BENCH_PRACTITIONERS=20
#   BENCH_DURATION=30 (seconds per measurement) BENCH_WARMUP=30 (seconds of load before each API measurement) BENCH_CONNECTIONS=64 (wrk) BENCH_THREADS=2 (wrk and pgbench)
#   BENCH_DB_POOL=16 (the server's pool per region = pgbench's client count)
#   BENCH_QUOTAS=false (request quotas off, so the API-to-pgbench ratios measure the request path alone)
#   BENCH_SERVER_CONFIG=<file.json> a --config file for the server (e.g. quota limits; see stages.sh)
#   BENCH_JAVA_OPTS (default: jvm.options, as run.sh)
#   BENCH_JAR=api/target/caduceus.jar (another build to measure, e.g. a copy of main's jar before a change)
#   BENCH_SETUP_ONLY=1 starts and loads the server, then leaves it running for manual measurements
#   BENCH_PROFILE=1 records a Java Flight Recorder profile of the server per wrk measurement (results/.../*.jfr)
#   BENCH_JOURNEY_WORKERS=8 concurrent patient journeys (book -> encounter -> lab order -> result), see Journey.java
#   BENCH_JOURNEY_ONLY=1 skips the wrk and pgbench measurements and runs only the journey
#   BENCH_WARMUP_CURVE=1 measures only the warm-up after a restart: the server is restarted on the loaded databases and
#     GET /v1/patients/{id} is measured in BENCH_CURVE_SLICE-second slices (5) for BENCH_CURVE_SECONDS (180); prints
#     restart-to-ready time, the curve and the time to 90 % of the plateau
#   BENCH_QUOTA_COMPARE=1 measures only what request quotas cost: a second node on the same databases, with quotas on
#     (limits far above the load, so nothing is refused), answers the same GETs; the two are measured in turn, twice
#   BENCH_SCOPE_COMPARE=1 measures only what the scoped access policy (issue 15) costs on the read path: a nurse per
#     tenant, two facilities with the patients split between them (odd k at hers), the same reads (by id, the first
#     listing page, a name search) with the tenants' policy `facility` and `off` in interleaved rounds on one server
#     and the same data (BENCH_SCOPE_ROUNDS=5, BENCH_SCOPE_SETTLE=5 s of load before each measurement, after one
#     BENCH_WARMUP per scenario); prints each round, the medians and the ratio on/off, and the plans of the scoped
#     reads (EXPLAIN ANALYZE as caduceus_app) to scope-plans.txt
set -euo pipefail
cd "$(dirname "$0")/.."

PG=${BENCH_PG_SUPERUSER_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
REDIS=${BENCH_REDIS_URL:-redis://127.0.0.1:6379}
TENANTS=${BENCH_TENANTS:-10}
PATIENTS=${BENCH_PATIENTS:-10000}
PRACTITIONERS=${BENCH_PRACTITIONERS:-20}
DURATION=${BENCH_DURATION:-30}
WARMUP=${BENCH_WARMUP:-30}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
DB_POOL=${BENCH_DB_POOL:-16}
JAVA_OPTS=${BENCH_JAVA_OPTS:-$(sed 's/#.*//' jvm.options | xargs)}
PORT=${BENCH_PORT:-18080}
RUN=bench_$(date +%s)
OUT=bench/results/$RUN
mkdir -p "$OUT"
export BENCH_OUT=$OUT BENCH_PATIENTS=$PATIENTS BENCH_PRACTITIONERS=$PRACTITIONERS

for tool in java psql pgbench wrk curl jq; do
  command -v $tool >/dev/null || { echo "missing $tool (wrk: apt-get install wrk)"; exit 1; }
done
JAR=${BENCH_JAR:-api/target/caduceus.jar}
[ -f "$JAR" ] || mvn -q -B -DskipTests package

HOSTPORT=$(echo "$PG" | sed -E 's#postgresql://[^@]*@([^/]*)/.*#\1#')
APP_URL() { echo "postgresql://caduceus_app:bench@$HOSTPORT/$1"; }
OWNER_URL() { echo "postgresql://caduceus_owner:bench@$HOSTPORT/$1"; }
REGION_DB=${RUN}_us
GLOBAL_DB=${RUN}_global
B=http://127.0.0.1:$PORT
J='Content-Type: application/json'

echo "== starting the server against $HOSTPORT (databases $GLOBAL_DB, $REGION_DB)"
psql -q "$PG" -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'caduceus_owner') THEN CREATE ROLE caduceus_owner LOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'caduceus_app') THEN CREATE ROLE caduceus_app LOGIN; END IF;
END \$\$; ALTER ROLE caduceus_owner PASSWORD 'bench'; ALTER ROLE caduceus_app PASSWORD 'bench';" >/dev/null
MASTER_KEY=$(head -c32 /dev/urandom | base64)
# The tokens taken at setup must outlive the run (a compare.sh run lasts half an hour; the default access token lives
# ten minutes): every node runs with two-hour access tokens, under whatever BENCH_SERVER_CONFIG or a mode adds.
server_config() { # file [settings file to add]
  jq -s '.[0] * (.[1] // {})' <(echo '{"security":{"accessTokenTtlSeconds":7200}}') ${2:+"$2"} > "$1"
  echo "$1"
}
start_node() { # port quotas log config-file
  CADUCEUS_DB_SUPERUSER_URL=$PG \
  CADUCEUS_GLOBAL_DB_URL=$(APP_URL $GLOBAL_DB) CADUCEUS_GLOBAL_DB_OWNER_URL=$(OWNER_URL $GLOBAL_DB) \
  CADUCEUS_REGIONS=us CADUCEUS_REGION_US_DB_URL=$(APP_URL $REGION_DB) CADUCEUS_REGION_US_DB_OWNER_URL=$(OWNER_URL $REGION_DB) \
  CADUCEUS_REDIS_URL=$REDIS CADUCEUS_REDIS_KEY_PREFIX="$RUN:" CADUCEUS_MASTER_KEY=$MASTER_KEY \
  CADUCEUS_HTTP_PORT=$1 CADUCEUS_ACCESS_LOG=false CADUCEUS_DB_POOL_SIZE=$DB_POOL CADUCEUS_DEMO_SEED=true \
  CADUCEUS_QUOTAS="$2" \
    java $JAVA_OPTS -jar "$JAR" --config "$4" > "$3" 2>&1 &
}
SERVER_CONFIG=$(server_config "$OUT/server.json" "${BENCH_SERVER_CONFIG:-}")
start_node "$PORT" "${BENCH_QUOTAS:-false}" "$OUT/server.log" "$SERVER_CONFIG"
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
STARTED=$(date +%s%N)
until curl -sf $B/health/ready >/dev/null; do
  kill -0 $SERVER 2>/dev/null || { echo "server died:"; tail -5 "$OUT/server.log"; exit 1; }
  sleep 0.1
done
echo "   ready after $(( ($(date +%s%N) - STARTED) / 1000000 )) ms (includes creating and migrating the databases)"

echo "== onboarding $TENANTS tenants through the API"
# The owner has a second factor: the ticket and a code of the demo TOTP secret (README, "Multi-factor authentication").
TICKET=$(curl -sf $B/v1/auth/login -H "$J" -d '{"email":"owner@caduceus.test","password":"demo-password-2026"}' | jq -r .mfaTicket)
CODE=$(python3 -c 'import base64,hmac,struct,time;k=base64.b32decode("KRUGS4ZANFZSAYJAMRSW23ZAONSWG4TF");h=hmac.new(k,struct.pack(">Q",int(time.time())//30),"sha1").digest();o=h[-1]&15;print("%06d"%((struct.unpack(">I",h[o:o+4])[0]&0x7fffffff)%1000000))')
OWNER=$(curl -sf $B/v1/auth/mfa/verify -H "$J" -d "{\"mfaTicket\":\"$TICKET\",\"code\":\"$CODE\"}" | jq -r .accessToken)
# Kept for what a setup adds later (compare.sh's COMPARE_<side>_SETUP, e.g. bench/flags.sh): two-hour token, mode 600.
(umask 077; echo "$OWNER" > "$OUT/owner.token")
echo "return {" > "$OUT/tenants.lua"
: > "$OUT/tenants.txt"
if [ -n "${BENCH_SCOPE_COMPARE:-}" ]; then echo "return {" > "$OUT/clinicians.lua"; : > "$OUT/clinicians.txt"; fi
for n in $(seq 1 "$TENANTS"); do
  created=$(curl -sf $B/v1/platform/tenants -H "$J" -H "Authorization: Bearer $OWNER" -d "{\"kind\":\"clinic\",
    \"slug\":\"bench-$n\",\"name\":\"Bench Clinic $n\",\"dataRegion\":\"us\",\"locale\":\"en-US\",
    \"timeZone\":\"America/New_York\",\"adminEmail\":\"admin-$n@bench.test\"}")
  tid=$(echo "$created" | jq -r .tenant.id)
  admin=$(curl -sf $B/v1/invitations/accept -H "$J" -d "{\"token\":\"$(echo "$created" | jq -r .adminInvitation.token)\",
    \"password\":\"bench-password-123\",\"displayName\":\"Admin $n\"}" | jq -r .accessToken)
  invite=$(curl -sf $B/v1/tenants/$tid/invitations -H "$J" -H "Authorization: Bearer $admin" \
    -d "{\"email\":\"desk-$n@bench.test\",\"roles\":[\"receptionist\"]}")
  session=$(curl -sf $B/v1/invitations/accept -H "$J" -d "{\"token\":\"$(echo "$invite" | jq -r .token)\",
    \"password\":\"bench-password-123\",\"displayName\":\"Desk $n\"}")
  token=$(echo "$session" | jq -r .accessToken)
  uid=$(curl -sf $B/v1/auth/me -H "Authorization: Bearer $token" | jq -r .userId)
  echo "  { n = $n, token = \"$token\" }," >> "$OUT/tenants.lua"
  echo "$n $tid $uid" >> "$OUT/tenants.txt"
  if [ -n "${BENCH_SCOPE_COMPARE:-}" ]; then # a clinician, whom the scoped policy confines (an admin sees all)
    invite=$(curl -sf $B/v1/tenants/$tid/invitations -H "$J" -H "Authorization: Bearer $admin" \
      -d "{\"email\":\"nurse-$n@bench.test\",\"roles\":[\"nurse\"]}")
    nurse=$(curl -sf $B/v1/invitations/accept -H "$J" -d "{\"token\":\"$(echo "$invite" | jq -r .token)\",
      \"password\":\"bench-password-123\",\"displayName\":\"Nurse $n\"}" | jq -r .accessToken)
    echo "  { n = $n, token = \"$nurse\" }," >> "$OUT/clinicians.lua"
    echo "$n $tid $(curl -sf $B/v1/auth/me -H "Authorization: Bearer $nurse" | jq -r .userId)" >> "$OUT/clinicians.txt"
  fi
done
echo "}" >> "$OUT/tenants.lua"

echo "== loading $PATIENTS patients and $PRACTITIONERS practitioners per tenant"
VALUES=$(awk '{printf "%s(%s, %s::uuid, %s::uuid)", (NR>1?",":""), $1, "'"'"'"$2"'"'"'", "'"'"'"$3"'"'"'"}' "$OUT/tenants.txt")
psql -q "$(echo "$PG" | sed -E "s#/[^/]*\$#/$REGION_DB#")" <<SQL
CREATE TEMP TABLE bench_tenant (n int, tenant_id uuid, user_id uuid);
INSERT INTO bench_tenant VALUES $VALUES;
INSERT INTO practitioner (tenant_id, id, family_name, given_name, specialty)
  SELECT t.tenant_id, ('00000000-0000-7000-9000-' || lpad(to_hex(t.n::bigint * 10000000 + p), 12, '0'))::uuid,
         'Doctor' || p, 'Bench', 'Family medicine'
  FROM bench_tenant t, generate_series(1, $PRACTITIONERS) p;
INSERT INTO patient (tenant_id, id, mrn, family_name, given_name, birth_date, sex, contact, created_by, updated_by)
  SELECT t.tenant_id, ('00000000-0000-7000-8000-' || lpad(to_hex(t.n::bigint * 10000000 + k), 12, '0'))::uuid,
         'B' || t.n || '-' || k, 'Family' || (k % 5000), 'Given' || k, date '1950-01-01' + (k % 20000),
         (ARRAY['female','male','other','unknown'])[1 + k % 4], jsonb_build_object('phone', '+1 555 ' || k),
         t.user_id, t.user_id
  FROM bench_tenant t, generate_series(1, $PATIENTS) k;
-- VACUUM too: it sets the visibility map, as autovacuum does for a table at rest (index-only scans need it).
VACUUM ANALYZE patient; VACUUM ANALYZE practitioner;
-- The name words (V14) that the patients' trigger wrote; a jar from before V14 has no such table.
SELECT to_regclass('patient_name_word') IS NOT NULL AS has_name_words \gset
\if :has_name_words
VACUUM ANALYZE patient_name_word;
\endif
SQL

PIDS_SQL() { echo "('00000000-0000-7000-8000-' || lpad(to_hex($1::bigint * 10000000 + :k), 12, '0'))::uuid"; }
PGB_ARGS=()
while read -r n tid uid; do
  scope="SELECT set_config('app.tenant_id', '$tid', true), set_config('app.user_id', '$uid', true), set_config('app.patient_id', '', true);"
  cat > "$OUT/get_$n.sql" <<SQL
\set k random(1, $PATIENTS)
BEGIN;
$scope
SELECT id, mrn, family_name, given_name, birth_date, sex, preferred_language, contact, insurance, insurance_member_id_sealed, national_id_sealed, clinical, version, created_at, updated_at FROM patient WHERE id = $(PIDS_SQL $n) AND deleted_at IS NULL;
INSERT INTO audit_event (tenant_id, id, occurred_at, actor_user_id, actor_roles, action, resource_type, resource_id, patient_ids, outcome, request_id, client_address) VALUES ('$tid', gen_random_uuid(), now(), '$uid', '{receptionist}', 'patient.read', 'patient', $(PIDS_SQL $n), ARRAY[$(PIDS_SQL $n)], 'success', 'pgbench', '127.0.0.1');
COMMIT;
SQL
  # The read alone (the issue's "pgbench select-only" bound: the database's own limit for the statement)
  cat > "$OUT/read_$n.sql" <<SQL
\set k random(1, $PATIENTS)
BEGIN;
$scope
SELECT id, mrn, family_name, given_name, birth_date, sex, preferred_language, contact, insurance, insurance_member_id_sealed, national_id_sealed, clinical, version, created_at, updated_at FROM patient WHERE id = $(PIDS_SQL $n) AND deleted_at IS NULL;
COMMIT;
SQL
  cat > "$OUT/book_$n.sql" <<SQL
\set k random(1, $PATIENTS)
\set p random(1, $PRACTITIONERS)
\set slot random(1, 1000000000)
BEGIN;
$scope
INSERT INTO appointment (tenant_id, id, patient_id, practitioner_id, starts_at, ends_at, reason, created_by, updated_by) SELECT '$tid', gen_random_uuid(), $(PIDS_SQL $n), ('00000000-0000-7000-9000-' || lpad(to_hex($n::bigint * 10000000 + :p), 12, '0'))::uuid, timestamptz '2040-01-01' + :slot * interval '1 minute', timestamptz '2040-01-01' + (:slot + 30) * interval '1 minute', NULL, '$uid', '$uid' WHERE EXISTS (SELECT 1 FROM patient WHERE id = $(PIDS_SQL $n) AND deleted_at IS NULL) AND EXISTS (SELECT 1 FROM practitioner WHERE id = ('00000000-0000-7000-9000-' || lpad(to_hex($n::bigint * 10000000 + :p), 12, '0'))::uuid AND active) RETURNING id, patient_id, practitioner_id, starts_at, ends_at, status, reason, status_reason, version, created_at, updated_at;
INSERT INTO audit_event (tenant_id, id, occurred_at, actor_user_id, actor_roles, action, resource_type, resource_id, patient_ids, outcome, request_id, client_address) VALUES ('$tid', gen_random_uuid(), now(), '$uid', '{receptionist}', 'appointment.book', 'appointment', gen_random_uuid(), ARRAY[$(PIDS_SQL $n)], 'success', 'pgbench', '127.0.0.1');
INSERT INTO outbox_event (tenant_id, id, topic, ordering_key, payload) VALUES ('$tid', gen_random_uuid(), 'appointment.booked', gen_random_uuid()::text, '{"bench":true}');
COMMIT;
SQL
done < "$OUT/tenants.txt"

if [ -n "${BENCH_WARMUP_CURVE:-}" ]; then
  # Time to 90 % of peak after a restart: the loaded server stops and a new one starts on the same databases (what a
  # deploy or a scale-out does); from its first ready answer wrk measures GET /v1/patients/{id} in back-to-back slices.
  # The peak is the median of the last six slices, the plateau; the time is the end of the first slice at 90 % of it.
  SLICE=${BENCH_CURVE_SLICE:-5}
  CURVE_SECONDS=${BENCH_CURVE_SECONDS:-180}
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
  RESTARTED=$(date +%s%N)
  start_node "$PORT" "${BENCH_QUOTAS:-false}" "$OUT/server-restart.log" "$SERVER_CONFIG"
  SERVER=$!
  until curl -sf $B/health/ready >/dev/null; do
    kill -0 $SERVER 2>/dev/null || { echo "server died:"; tail -5 "$OUT/server-restart.log"; exit 1; }
    sleep 0.05
  done
  READY_MS=$(( ($(date +%s%N) - RESTARTED) / 1000000 ))
  : > "$OUT/curve.txt"
  for i in $(seq 1 $((CURVE_SECONDS / SLICE))); do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SLICE}s" -s bench/lua/get_patient.lua $B > "$OUT/curve_$i.txt" 2>&1 || true
    echo "$((i * SLICE)) $(awk '/Requests\/sec/ {print $2}' "$OUT/curve_$i.txt")" >> "$OUT/curve.txt"
  done
  {
    echo "restart to ready: ${READY_MS} ms (JAVA_OPTS: $JAVA_OPTS)"
    echo "seconds-after-ready  GET/s"
    cat "$OUT/curve.txt"
    PEAK=$(tail -6 "$OUT/curve.txt" | awk '{print $2}' | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}')
    awk -v peak="$PEAK" '$2 >= 0.9 * peak { printf "peak (median of the last six slices) %.0f/s; 90%% of it first reached after %d s\n", peak, $1; found = 1; exit }
      END { if (!found) printf "peak %.0f/s; 90%% never reached\n", peak }' "$OUT/curve.txt"
  } | tee "$OUT/warmup-summary.txt"
  exit 0
fi

if [ -n "${BENCH_SETUP_ONLY:-}" ]; then
  echo "== setup only: server pid $SERVER on $B; tenants in $OUT/tenants.lua; Ctrl-C (or kill $SERVER) to stop"
  echo "   BENCH_OUT=$OUT BENCH_PATIENTS=$PATIENTS BENCH_PRACTITIONERS=$PRACTITIONERS wrk -s bench/lua/get_patient.lua $B"
  wait $SERVER
  exit 0
fi

rss_watch() { # peak RSS of the server while a measurement runs
  local peak=0
  while kill -0 "$1" 2>/dev/null && [ ! -f "$OUT/stop-rss" ]; do
    local now; now=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status 2>/dev/null || echo 0)
    [ "${now:-0}" -gt "$peak" ] && peak=$now
    sleep 0.5
  done
  echo $((peak / 1024))
}

measure_wrk() { # name lua [connections]
  local connections=${3:-$CONNECTIONS}
  echo "== wrk: $1 (${DURATION}s, $connections connections, $THREADS threads)" >&2
  # Warm-up: on two busy cores the JIT needs tens of seconds to compile the hot paths.
  wrk -t"$THREADS" -c"$connections" -d"${WARMUP}s" -s "bench/lua/$2" $B >/dev/null 2>&1 || true
  rm -f "$OUT/stop-rss"
  if [ -n "${BENCH_PROFILE:-}" ]; then
    jcmd $SERVER JFR.start name="$1" settings=profile duration="${DURATION}s" filename="$(realpath "$OUT")/$1.jfr" >/dev/null
  fi
  (rss_watch $SERVER > "$OUT/rss_$1") &
  local watcher=$!
  wrk -t"$THREADS" -c"$connections" -d"${DURATION}s" --latency -s "bench/lua/$2" $B > "$OUT/wrk_$1.txt" \
    2> "$OUT/wrk_$1.errors"
  touch "$OUT/stop-rss"; wait $watcher
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk_$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$OUT/wrk_$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$OUT/wrk_$1.txt")
  errors=$(awk '/Non-2xx/ {print $5}' "$OUT/wrk_$1.txt")
  echo "$rps $p50 $p99 ${errors:-0} $(cat "$OUT/rss_$1")"
}

measure_pgbench() { # name prefix
  echo "== pgbench: $1 (${DURATION}s, $DB_POOL clients, $THREADS threads, app role, RLS on)" >&2
  local files=()
  for f in "$OUT"/$2_*.sql; do files+=(-f "$(realpath "$f")"); done
  (cd "$OUT" && pgbench -n -c "$DB_POOL" -j "$THREADS" -T "$DURATION" -l --log-prefix="pgb_$1" "${files[@]}" \
    "$(APP_URL $REGION_DB)" > "pgbench_$1.txt" 2>&1)
  local tps p50 p99
  tps=$(awk -F'= ' '/^tps/ {split($2, a, " "); print a[1]}' "$OUT/pgbench_$1.txt" | tail -1)
  cat "$OUT"/pgb_"$1"* | awk '{print $3}' | sort -n > "$OUT/lat_$1"
  local count; count=$(wc -l < "$OUT/lat_$1")
  p50=$(awk -v n="$count" 'NR==int(n*0.50)+1 {printf "%.2fms", $1/1000}' "$OUT/lat_$1")
  p99=$(awk -v n="$count" 'NR==int(n*0.99)+1 {printf "%.2fms", $1/1000}' "$OUT/lat_$1")
  echo "$tps $p50 $p99"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

measure_journey() {
  echo "== journey: ${DURATION}s, ${JOURNEY_WORKERS} workers, after ${WARMUP}s of warm-up" >&2
  java -cp "$JAR" bench/Journey.java $B "$DURATION" "$JOURNEY_WORKERS" "$WARMUP" \
    > "$OUT/journey.txt" 2> "$OUT/journey.errors"
  awk '/^journeys/ {print $9, $11}' "$OUT/journey.txt"
}
JOURNEY_WORKERS=${BENCH_JOURNEY_WORKERS:-8}

if [ -n "${BENCH_SCOPE_COMPARE:-}" ]; then
  echo "}" >> "$OUT/clinicians.lua"
  . bench/scope.sh # uses measure_wrk, ratio and this run's settings
  exit 0
fi

if [ -n "${BENCH_QUOTA_COMPARE:-}" ]; then
  # The same GETs against a node with quotas on (two Redis EVALs per request: tenant and user) and without.
  echo '{"quotas":{"tenant":{"perSecond":1000000,"burst":2000000},"user":{"perSecond":1000000,"burst":2000000}}}' \
    > "$OUT/quotas-on.json"
  start_node $((PORT + 1)) true "$OUT/server-quotas.log" "$(server_config "$OUT/server-quotas.json" "$OUT/quotas-on.json")"
  QUOTA_SERVER=$!
  trap 'kill $SERVER $QUOTA_SERVER 2>/dev/null || true' EXIT
  until curl -sf http://127.0.0.1:$((PORT + 1))/health/ready >/dev/null; do sleep 0.2; done
  OFF=$B; ON=http://127.0.0.1:$((PORT + 1))
  {
    printf '%-34s %12s %10s %10s %8s\n' "GET /v1/patients/{id}" "per second" "p50" "p99" "errors"
    for round in 1 2; do
      for side in off on; do
        if [ $side = off ]; then B=$OFF; else B=$ON; fi
        read -r rps p50 p99 err rss <<< "$(measure_wrk "quota-$side-$round" get_patient.lua)"
        printf '%-34s %12s %10s %10s %8s\n' "quotas $side, round $round" "$rps" "$p50" "$p99" "$err"
        eval "RPS_${side}_$round=$rps"
      done
    done
    echo "ratio quotas on/off: round 1 $(ratio "$RPS_on_1" "$RPS_off_1"), round 2 $(ratio "$RPS_on_2" "$RPS_off_2")"
  } | tee "$OUT/quota-summary.txt"
  exit 0
fi

if [ -z "${BENCH_JOURNEY_ONLY:-}" ]; then
  read -r GET_RPS GET_P50 GET_P99 GET_ERR GET_RSS <<< "$(measure_wrk get-patient get_patient.lua)"
  read -r GET16_RPS GET16_P50 GET16_P99 GET16_ERR GET16_RSS <<< "$(WARMUP=5 measure_wrk get-patient-16 get_patient.lua 16)"
  read -r BOOK_RPS BOOK_P50 BOOK_P99 BOOK_ERR BOOK_RSS <<< "$(measure_wrk book-appointment book_appointment.lua)"
  read -r PG_GET_TPS PG_GET_P50 PG_GET_P99 <<< "$(measure_pgbench get get)"
  read -r PG_READ_TPS PG_READ_P50 PG_READ_P99 <<< "$(measure_pgbench read read)"
  read -r PG_BOOK_TPS PG_BOOK_P50 PG_BOOK_P99 <<< "$(measure_pgbench book book)"
fi
read -r JOURNEYS_PER_S JOURNEY_RPS <<< "$(measure_journey)"
RSS_NOW=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$SERVER/status)

{
  echo
  echo "Caduceus baseline — $(date -u +%FT%TZ), $(nproc) cores, $TENANTS tenants x $PATIENTS patients, ${DURATION}s each"
  echo "PostgreSQL $(psql -tA "$PG" -c 'show server_version'), synchronous_commit=$(psql -tA "$PG" -c 'show synchronous_commit')"
  if [ -z "${BENCH_JOURNEY_ONLY:-}" ]; then
    printf '%-28s %12s %10s %10s %8s %8s\n' "measurement" "per second" "p50" "p99" "errors" "RSS MB"
    printf '%-28s %12s %10s %10s %8s %8s\n' "API GET /v1/patients/{id}" "$GET_RPS" "$GET_P50" "$GET_P99" "$GET_ERR" "$GET_RSS"
    printf '%-28s %12s %10s %10s %8s %8s\n' "  same, 16 connections" "$GET16_RPS" "$GET16_P50" "$GET16_P99" "$GET16_ERR" "$GET16_RSS"
    printf '%-28s %12s %10s %10s %8s %8s\n' "pgbench same statements" "$PG_GET_TPS" "$PG_GET_P50" "$PG_GET_P99" "-" "-"
    printf '%-28s %12s %10s %10s %8s %8s\n' "pgbench the select alone" "$PG_READ_TPS" "$PG_READ_P50" "$PG_READ_P99" "-" "-"
    printf '%-28s %12s %10s %10s %8s %8s\n' "API POST /v1/appointments" "$BOOK_RPS" "$BOOK_P50" "$BOOK_P99" "$BOOK_ERR" "$BOOK_RSS"
    printf '%-28s %12s %10s %10s %8s %8s\n' "pgbench same statements" "$PG_BOOK_TPS" "$PG_BOOK_P50" "$PG_BOOK_P99" "-" "-"
    echo "ratio API/pgbench: GET $(ratio "$GET_RPS" "$PG_GET_TPS") (against the select alone: $(ratio "$GET_RPS" "$PG_READ_TPS")), POST $(ratio "$BOOK_RPS" "$PG_BOOK_TPS")"
  fi
  echo
  cat "$OUT/journey.txt"
  if [ -z "${BENCH_JOURNEY_ONLY:-}" ]; then
    echo "ratio journey writes/s to POST /v1/appointments/s: $(ratio "$JOURNEY_RPS" "$BOOK_RPS")"
  fi
  echo "RSS after load: ${RSS_NOW} MB"
} | tee "$OUT/summary.txt"
