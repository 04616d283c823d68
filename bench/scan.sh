#!/usr/bin/env bash
# What it costs the background loops to find due work in many tenant schemas, measured in one run with pgbench:
# one "scan" asks every schema which tenants have due messages, the way TenantDb.scan does.
#   - per schema: BEGIN; set search_path; SELECT message_due_tenants(now()); COMMIT (one transaction per schema,
#     which is how the first version of the schema tier scanned);
#   - batched: SELECT ... UNION ALL ... over 100 schema-qualified calls per statement (how it scans now).
# Each schema holds the engagement engine's `message` table shape, its partial index and its due-work function
# (SECURITY DEFINER, search path pinned to its schema), with one tenant's 20 sent messages.
# Settings: BENCH_PG_SUPERUSER_URL, BENCH_SCHEMAS (1000), BENCH_SCANS (20, full scans each way).
set -euo pipefail
cd "$(dirname "$0")/.."
PG=${BENCH_PG_SUPERUSER_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
SCHEMAS=${BENCH_SCHEMAS:-1000}
SCANS=${BENCH_SCANS:-20}
RUN=scan_$(date +%s)
OUT=bench/results/$RUN
mkdir -p "$OUT"
DB_URL=$(echo "$PG" | sed -E "s#/[^/]*\$#/$RUN#")
psql -q "$PG" -c "CREATE DATABASE $RUN"
trap 'psql -q "$PG" -c "DROP DATABASE IF EXISTS $RUN WITH (FORCE)"' EXIT

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
