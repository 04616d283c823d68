#!/usr/bin/env bash
# What the scoped access policy (issue 15) costs a patient read inside PostgreSQL alone: the backend's CPU time
# (utime + stime of /proc/<pid>/stat, so the server must run on this machine) for BENCH_SCOPE_PG_READS (20,000)
# EXECUTEs of PatientSql.FIND, prepared as the server prepares it (generic plan after five runs), as caduceus_app
# with the tenant and the nurse set, a patient of her site each time. Sides as bench/scope.sh's: off (the tenant's
# policy off), on (policy `facility`, the nurse at one of two sites), all (the nurse at both); forms of org_scope on
# `patient`: `v38` (region V38's, the three arms as EXISTS subqueries in the reading plan), `v40` (region V40's
# hybrid: the facility arm an in-plan EXISTS probe, the care-team arm a call of scope_admits made only when that
# half is not empty, the emergency arm scope_emergency's init plan), `v41` (region V41's: the row's group_ids
# overlapping the memo's groups after the plpgsql scope_groups(), no probe relation), `v43` (the current
# keep_to_scope: the tenant's access_policy row read by an init plan of the statement's own, the member's groups
# from the setting scope_reach names, no plpgsql call once kept), `admits` (the earlier V40 of branch scope: both
# arms in one plpgsql call, no probe relation in the plan; the script makes that function, scope_admits4, for the
# measurement), `first` (only V41's first arm, scope_groups()'s init plan) and `floor` (`(SELECT scope_groups())
# IS NULL OR true`, which the planner folds to true: no policy at all). The forms are in bench/scope-forms.sh.
# Every form and side is measured BENCH_SCOPE_PG_ROUNDS (3) times, interleaved; the other tables keep the current
# form.
#
#   BENCH_SETUP_ONLY=1 BENCH_SCOPE_COMPARE=1 BENCH_TENANTS=1 BENCH_PATIENTS=10000 bench/run.sh &   # then, once loaded:
#   bench/scope-pg.sh bench/results/bench_<n>      # the run's directory (clinicians.txt); sets up the two sites
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_DIR=${1:?the run directory of a BENCH_SCOPE_COMPARE setup}
PG=${BENCH_PG_SUPERUSER_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
READS=${BENCH_SCOPE_PG_READS:-20000}
ROUNDS=${BENCH_SCOPE_PG_ROUNDS:-3}
FORMS=${BENCH_SCOPE_PG_FORMS:-v41 v43 first floor}
HOSTPORT=$(echo "$PG" | sed -E 's#postgresql://[^@]*@([^/]*)/.*#\1#')
REGION_DB=$(basename "$RUN_DIR")_us
REGION_URL=$(echo "$PG" | sed -E "s#/[^/]*\$#/$REGION_DB#")
APP="postgresql://caduceus_app:bench@$HOSTPORT/$REGION_DB"
read -r N TENANT NURSE < "$RUN_DIR/clinicians.txt"
PATIENTS=$(psql -tA "$REGION_URL" -c "SELECT count(*) FROM patient WHERE tenant_id = '$TENANT'")
site() { printf '00000000-0000-7000-a000-%012x' $((N * 10 + $1)); }
patient_id() { printf '00000000-0000-7000-8000-%012x' $((N * 10000000 + $1)); }
sql() { psql -q -v ON_ERROR_STOP=1 "$REGION_URL" "$@" >/dev/null; }

# The two sites, as scope.sh makes them (odd k at the first, the nurse's), unless they are there.
sql <<SQL
INSERT INTO facility (tenant_id, id, name, created_by)
  SELECT '$TENANT', ('00000000-0000-7000-a000-' || lpad(to_hex($N::bigint * 10 + f), 12, '0'))::uuid,
         'Bench site ' || f, '$NURSE' FROM generate_series(1, 2) f ON CONFLICT DO NOTHING;
INSERT INTO patient_facility (tenant_id, patient_id, facility_id, added_by)
  SELECT '$TENANT', ('00000000-0000-7000-8000-' || lpad(to_hex($N::bigint * 10000000 + k), 12, '0'))::uuid,
         ('00000000-0000-7000-a000-' || lpad(to_hex($N::bigint * 10 + 2 - k % 2), 12, '0'))::uuid, '$NURSE'
  FROM generate_series(1, $PATIENTS) k ON CONFLICT DO NOTHING;
INSERT INTO staff_group (tenant_id, user_id, group_id, kind, added_by)
  VALUES ('$TENANT', '$NURSE', '$(site 1)', 'facility', '$NURSE') ON CONFLICT DO NOTHING;
INSERT INTO access_policy (tenant_id, scope, group_view, updated_by)
  VALUES ('$TENANT', 'off', 'combined', '$NURSE') ON CONFLICT DO NOTHING;
VACUUM ANALYZE facility; VACUUM ANALYZE patient_facility; VACUUM ANALYZE staff_group; VACUUM ANALYZE access_policy;
VACUUM ANALYZE patient;
SQL
SCHEMA=$(psql -tA "$REGION_URL" -c "SELECT relnamespace::regnamespace FROM pg_class WHERE oid = 'patient'::regclass")
CURRENT=$(psql -tA "$REGION_URL" -c "SELECT pg_get_expr(polqual, polrelid) FROM pg_policy
  WHERE polrelid = 'patient'::regclass AND polname = 'org_scope'")
sql <<SQL
CREATE OR REPLACE FUNCTION $SCHEMA.scope_admits4(tenant uuid, patient uuid, facilities uuid[], teams uuid[])
  RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL RESTRICTED COST 200 AS \$\$
BEGIN
  IF cardinality(facilities) > 0 THEN
    IF EXISTS (SELECT 1 FROM $SCHEMA.patient_facility f
                WHERE f.tenant_id = tenant AND f.patient_id = patient AND f.facility_id = ANY (facilities)) THEN
      RETURN true;
    END IF;
  END IF;
  IF cardinality(teams) > 0 THEN
    RETURN EXISTS (SELECT 1 FROM $SCHEMA.care_team_patient c
                    WHERE c.tenant_id = tenant AND c.patient_id = patient AND c.care_team_id = ANY (teams));
  END IF;
  RETURN false;
END \$\$;
GRANT EXECUTE ON FUNCTION $SCHEMA.scope_admits4(uuid, uuid, uuid[], uuid[]) TO caduceus_app;
SQL
# shellcheck source=bench/scope-forms.sh
source bench/scope-forms.sh
side() { # off | on | all
  if [ "$1" = all ]; then
    sql -c "INSERT INTO staff_group (tenant_id, user_id, group_id, kind, added_by)
      VALUES ('$TENANT', '$NURSE', '$(site 2)', 'facility', '$NURSE') ON CONFLICT DO NOTHING"
  else
    sql -c "DELETE FROM staff_group WHERE tenant_id = '$TENANT' AND user_id = '$NURSE' AND group_id = '$(site 2)'"
  fi
  sql -c "UPDATE access_policy SET scope = '$([ "$1" = off ] && echo off || echo facility)' WHERE tenant_id = '$TENANT'"
}
COLUMNS="id, mrn, family_name, given_name, birth_date, sex, preferred_language, contact, insurance,
  insurance_member_id_sealed, national_id_sealed, clinical, version, created_at, updated_at"
reads() { # n EXECUTEs, each of another patient of the nurse's site (odd k)
  awk -v n="$1" -v t="$N" -v p="$PATIENTS" 'BEGIN {
    for (i = 1; i <= n; i++) printf "EXECUTE find(%c00000000-0000-7000-8000-%012x%c);\n", 39, t * 10000000 + 2 * (i % int(p / 2)) + 1, 39 }'
}
SCRIPT=$(mktemp)
trap 'rm -f "$SCRIPT"; form current' EXIT
{
  echo "SELECT pg_backend_pid() AS pid \\gset"
  echo "\\setenv BACKEND_PID :pid"
  echo "SELECT set_config('app.tenant_id', '$TENANT', false), set_config('app.user_id', '$NURSE', false) \\g /dev/null"
  echo "PREPARE find(uuid) AS SELECT $COLUMNS FROM patient WHERE id = \$1 AND deleted_at IS NULL;"
  reads 500
  echo "\\! awk '{print \$14 + \$15}' /proc/\$BACKEND_PID/stat > $SCRIPT.before"
  reads "$READS"
  echo "\\! awk '{print \$14 + \$15}' /proc/\$BACKEND_PID/stat > $SCRIPT.after"
  echo "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'find' \\g $SCRIPT.plans"
} > "$SCRIPT"
HZ=$(getconf CLK_TCK)
printf '%-6s %5s %5s %12s %10s %s\n' form side round "us per read" "rows/read" "plans (generic|custom)"
for round in $(seq 1 "$ROUNDS"); do
  for f in $FORMS; do
    form "$f"
    for s in off on all; do
      side "$s"
      rows=$(psql -tA "$APP" -f "$SCRIPT" | grep -c . || true)
      us=$(awk -v b="$(cat "$SCRIPT.before")" -v a="$(cat "$SCRIPT.after")" -v hz="$HZ" -v n="$READS" \
        'BEGIN {printf "%.1f", (a - b) * 1e6 / hz / n}')
      printf '%-6s %5s %5s %12s %10s %s\n' "$f" "$s" "$round" "$us" "$(awk -v r="$rows" -v n="$((READS + 500))" \
        'BEGIN {printf "%.2f", r / n}')" "$(tr -d ' \n' < "$SCRIPT.plans")"
    done
  done
done
side off
rm -f "$SCRIPT.before" "$SCRIPT.after" "$SCRIPT.plans"
