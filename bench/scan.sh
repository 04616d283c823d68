#!/usr/bin/env bash
# What it costs the background loops to find due work in many tenant schemas, measured in one run with pgbench:
# one "scan" asks every schema which tenants have due messages, the way TenantDb.scan does.
#   - per schema: BEGIN; set search_path; SELECT message_due_tenants(now()); COMMIT (one transaction per schema,
#     which is how the first version of the schema tier scanned);
#   - batched: SELECT ... UNION ALL ... over 100 schema-qualified calls per statement (how it scans now).
# Each schema holds the engagement engine's `message` table shape, its partial index and its due-work function
# (SECURITY DEFINER, search path pinned to its schema), with one tenant's 20 sent messages.
# Settings: BENCH_PG_SUPERUSER_URL, BENCH_SCHEMAS (1000), BENCH_SCANS (20, full scans each way).
#
# BENCH_MODE=held measures instead what an idle dispatcher cycle's claim costs a tenant that holds a topic (a module
# off, issue 16) with BENCH_HELD (50,000) held messages due and nothing else: the claim that walks message_due and
# filters the held topic out (before notifications V10) against the claim of each open topic from
# message_due_by_topic (MessageSql.CLAIM_DUE_AROUND_HOLDS), BENCH_CYCLES (200) claims each way, prepared (the node
# prepares its statements), in one run. The topics are read from Topic.java.
# Settings: BENCH_HELD, BENCH_CYCLES, BENCH_DB_PREFIX (scan; the database is <prefix>_<mode>_<time>).
set -euo pipefail
cd "$(dirname "$0")/.."
PG=${BENCH_PG_SUPERUSER_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
SCHEMAS=${BENCH_SCHEMAS:-1000}
SCANS=${BENCH_SCANS:-20}
MODE=${BENCH_MODE:-schemas}
RUN=${BENCH_DB_PREFIX:-scan}_${MODE}_$(date +%s)
OUT=bench/results/$RUN
mkdir -p "$OUT"
DB_URL=$(echo "$PG" | sed -E "s#/[^/]*\$#/$RUN#")
psql -q "$PG" -c "CREATE DATABASE $RUN"
trap 'psql -q "$PG" -c "DROP DATABASE IF EXISTS $RUN WITH (FORCE)"' EXIT

if [ "$MODE" = held ]; then
  HELD=${BENCH_HELD:-50000}
  CYCLES=${BENCH_CYCLES:-200}
  TENANT=00000000-0000-0000-0000-000000000001
  TOPICS=$(grep -oE '^  [A-Z_]+\("[a-z_.]+"' notifications/src/main/java/io/caduceus/notifications/engage/Topic.java \
    | sed -E 's/.*\("//; s/"$//')
  OPEN=$(echo "$TOPICS" | grep -vx campaign | sed "s/.*/'&'/" | paste -sd, -)
  echo "== one tenant: $HELD held campaign messages due, $(echo "$TOPICS" | wc -l) topics, the others open"
  psql -q "$DB_URL" <<SQL
CREATE TABLE message (tenant_id uuid NOT NULL, id uuid NOT NULL, topic text NOT NULL, status text NOT NULL,
  critical boolean NOT NULL, next_attempt_at timestamptz NOT NULL, variables jsonb NOT NULL, content jsonb,
  PRIMARY KEY (tenant_id, id));
CREATE INDEX message_due ON message (tenant_id, critical DESC, next_attempt_at) WHERE status = 'queued';
CREATE INDEX message_due_by_topic ON message (tenant_id, topic, critical DESC, next_attempt_at)
  WHERE status = 'queued';
INSERT INTO message SELECT '$TENANT', gen_random_uuid(), 'campaign', 'queued', false,
  now() - interval '1 hour' + n * interval '1 ms', '{"link": "https://app.test/surveys/0"}', NULL
  FROM generate_series(1, $HELD) n;
INSERT INTO message SELECT '$TENANT', gen_random_uuid(), 'appointment.booked', 'sent', false, now(), '{}', '{}'
  FROM generate_series(1, 1000);
ANALYZE message;
SQL
  cat > "$OUT/filtered.sql" <<SQL
BEGIN;
SELECT id FROM message
WHERE tenant_id = '$TENANT' AND status = 'queued' AND next_attempt_at <= now() AND topic <> ALL(ARRAY['campaign'])
ORDER BY critical DESC, next_attempt_at LIMIT 50 FOR UPDATE SKIP LOCKED;
COMMIT;
SQL
  cat > "$OUT/by_topic.sql" <<SQL
BEGIN;
SELECT m.id FROM unnest(ARRAY[$OPEN]) AS t(topic)
CROSS JOIN LATERAL (SELECT q.id, q.critical, q.next_attempt_at FROM message q
  WHERE q.tenant_id = '$TENANT' AND q.status = 'queued' AND q.topic = t.topic AND q.next_attempt_at <= now()
  ORDER BY q.critical DESC, q.next_attempt_at LIMIT 50 FOR UPDATE OF q SKIP LOCKED) m
ORDER BY m.critical DESC, m.next_attempt_at LIMIT 50;
COMMIT;
SQL
  claim() { # name file
    pgbench -n -M prepared -c 1 -j 1 -t "$CYCLES" -f "$2" "$DB_URL" > "$OUT/pgbench_$1.txt" 2>&1
    awk -F'= ' '/^latency average/ {split($2, a, " "); print a[1]}' "$OUT/pgbench_$1.txt"
  }
  echo "== $CYCLES idle claims each way, one client"
  FILTERED=$(claim filtered "$OUT/filtered.sql")
  BY_TOPIC=$(claim by-topic "$OUT/by_topic.sql")
  {
    echo "an idle claim with $HELD held messages: filtered ${FILTERED} ms, by topic ${BY_TOPIC} ms," \
      "ratio by-topic/filtered $(awk -v a="$BY_TOPIC" -v b="$FILTERED" 'BEGIN { printf "%.4f", a / b }')"
  } | tee "$OUT/summary.txt"
  exit 0
fi

echo "== creating $SCHEMAS tenant schemas"
for i in $(seq 1 "$SCHEMAS"); do
  s=t_$(printf '%032x' "$i")
  cat <<SQL
CREATE SCHEMA $s;
CREATE TABLE $s.message (tenant_id uuid NOT NULL, id uuid NOT NULL, status text NOT NULL,
  next_attempt_at timestamptz NOT NULL, lease_until timestamptz, PRIMARY KEY (tenant_id, id));
CREATE INDEX ON $s.message (tenant_id) WHERE status IN ('queued', 'sending');
INSERT INTO $s.message SELECT '$(printf '%08x' "$i")-0000-0000-0000-000000000000', gen_random_uuid(), 'sent', now()
  FROM generate_series(1, 20);
CREATE FUNCTION $s.message_due_tenants(at timestamptz) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = $s, pg_temp AS \$\$
  WITH RECURSIVE tenants AS (
    (SELECT tenant_id FROM message WHERE status IN ('queued', 'sending') ORDER BY tenant_id LIMIT 1)
    UNION ALL
    SELECT (SELECT m.tenant_id FROM message m
            WHERE m.status IN ('queued', 'sending') AND m.tenant_id > t.tenant_id ORDER BY m.tenant_id LIMIT 1)
    FROM tenants t WHERE t.tenant_id IS NOT NULL
  )
  SELECT t.tenant_id FROM tenants t
  WHERE t.tenant_id IS NOT NULL
    AND (EXISTS (SELECT 1 FROM message m
                 WHERE m.tenant_id = t.tenant_id AND m.status = 'queued' AND m.next_attempt_at <= at)
      OR EXISTS (SELECT 1 FROM message m
                 WHERE m.tenant_id = t.tenant_id AND m.status = 'sending' AND m.lease_until < at))
\$\$;
SQL
done | psql -q "$DB_URL" >/dev/null
psql -q "$DB_URL" -c "ANALYZE"

# One pgbench transaction = one full scan of every schema, all statements pipelined on one connection (as the
# node sends them), in the extended protocol (a statement re-plans anyway when the search path changes).
{
  echo '\startpipeline'
  for i in $(seq 1 "$SCHEMAS"); do
    s=t_$(printf '%032x' "$i")
    echo "BEGIN;"
    echo "SELECT set_config('search_path', '$s, public', true);"
    echo "SELECT message_due_tenants(now());"
    echo "COMMIT;"
  done
  echo '\endpipeline'
} > "$OUT/per_schema.sql"
{
  echo '\startpipeline'
  for i in $(seq 1 "$SCHEMAS"); do
    s=t_$(printf '%032x' "$i")
    sep=" UNION ALL "
    if [ $(( (i - 1) % 100 )) -eq 0 ]; then [ "$i" -gt 1 ] && echo ";"; printf 'SELECT * FROM (SELECT "%s".message_due_tenants(now())) s' "$s"; continue; fi
    printf '%sSELECT * FROM (SELECT "%s".message_due_tenants(now())) s' "$sep" "$s"
  done
  echo ";"
  echo '\endpipeline'
} > "$OUT/batched.sql"

scan() { # name file
  pgbench -n -M extended -c 1 -j 1 -t "$SCANS" -f "$2" "$DB_URL" > "$OUT/pgbench_$1.txt" 2>&1
  awk -F'= ' '/^latency average/ {split($2, a, " "); print a[1]}' "$OUT/pgbench_$1.txt"
}
echo "== scanning $SCHEMAS schemas, $SCANS full scans each way, one client"
PER=$(scan per-schema "$OUT/per_schema.sql")
BATCHED=$(scan batched "$OUT/batched.sql")
{
  echo "one scan of $SCHEMAS tenant schemas: per schema ${PER} ms, batched ${BATCHED} ms," \
    "ratio batched/per-schema $(awk -v a="$BATCHED" -v b="$PER" 'BEGIN { printf "%.3f", a / b }')"
} | tee "$OUT/summary.txt"
