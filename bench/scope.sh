# The scoped access policy (issue 15) on vs off, on the read path. Sourced by run.sh (BENCH_SCOPE_COMPARE=1) once
# the tenants, each one's nurse (clinicians.txt / clinicians.lua) and the patients are loaded; uses run.sh's
# settings and its measure_wrk and ratio.
#   1. per tenant: two facilities, the patients split between them (odd k at the first, even k at the second), the
#      nurse a member of the first, and an access_policy row (scope off, combined view);
#   2. checks that the policy really confines her: with scope `facility` she reads a patient of her site (200) and
#      not one of the other (404); with it off, both;
#   3. writes the plans of the scoped reads, as caduceus_app with the tenant and the nurse set, policy on
#      (EXPLAIN ANALYZE, custom and generic plans) to scope-plans.txt;
#   4. warms up, then runs BENCH_SCOPE_ROUNDS rounds; in each, every scenario is measured on three sides, the same
#      server, data and nurse (the reverse order in even rounds): `off` (the tenants' policy off), `on` (policy
#      `facility`, the nurse at her one site: she sees half the patients) and `all` (policy `facility`, the nurse a
#      member of both sites: she sees what `off` sees, so all/off is the policy's own price, apart from what her
#      narrower view costs a listing that must skip the other site's patients). Only access_policy.scope and her
#      membership change between sides (each writes access_policy.org_version, so the next request sees it);
#   5. prints each measurement, and per scenario the median of each side and the ratios on/off and all/off.
REGION_URL=$(echo "$PG" | sed -E "s#/[^/]*\$#/$REGION_DB#")
SCOPE_ROUNDS=${BENCH_SCOPE_ROUNDS:-5}
SCOPE_SETTLE=${BENCH_SCOPE_SETTLE:-5}
SCOPE_SCENARIOS="scoped_get_patient list_patients search_patients"
export BENCH_TOKENS=clinicians.lua

echo "== scoped access: two facilities per tenant, the patients split between them, each nurse at the first"
NURSES=$(awk '{printf "%s(%s, %s::uuid, %s::uuid)", (NR>1?",":""), $1, "'"'"'"$2"'"'"'", "'"'"'"$3"'"'"'"}' \
  "$OUT/clinicians.txt")
psql -q -v ON_ERROR_STOP=1 "$REGION_URL" <<SQL
CREATE TEMP TABLE bench_nurse (n int, tenant_id uuid, user_id uuid);
INSERT INTO bench_nurse VALUES $NURSES;
INSERT INTO facility (tenant_id, id, name, created_by)
  SELECT t.tenant_id, ('00000000-0000-7000-a000-' || lpad(to_hex(t.n::bigint * 10 + f), 12, '0'))::uuid,
         'Bench site ' || f, t.user_id
  FROM bench_nurse t, generate_series(1, 2) f;
INSERT INTO patient_facility (tenant_id, patient_id, facility_id, added_by)
  SELECT t.tenant_id, ('00000000-0000-7000-8000-' || lpad(to_hex(t.n::bigint * 10000000 + k), 12, '0'))::uuid,
         ('00000000-0000-7000-a000-' || lpad(to_hex(t.n::bigint * 10 + 2 - k % 2), 12, '0'))::uuid, t.user_id
  FROM bench_nurse t, generate_series(1, $PATIENTS) k;
INSERT INTO staff_group (tenant_id, user_id, group_id, kind, added_by)
  SELECT t.tenant_id, t.user_id, ('00000000-0000-7000-a000-' || lpad(to_hex(t.n::bigint * 10 + 1), 12, '0'))::uuid,
         'facility', t.user_id
  FROM bench_nurse t;
INSERT INTO access_policy (tenant_id, scope, group_view, updated_by)
  SELECT t.tenant_id, 'off', 'combined', t.user_id FROM bench_nurse t;
VACUUM ANALYZE facility; VACUUM ANALYZE patient_facility; VACUUM ANALYZE staff_group; VACUUM ANALYZE access_policy;
VACUUM ANALYZE patient;
SQL

scope() { # off | facility: every bench tenant's policy
  psql -q -v ON_ERROR_STOP=1 "$REGION_URL" \
    -c "UPDATE access_policy SET scope = '$1', version = version + 1, updated_at = now()" >/dev/null
}
both_sites() { # yes | no: every bench nurse also a member of the second facility (she then sees every patient)
  if [ "$1" = yes ]; then
    psql -q -v ON_ERROR_STOP=1 "$REGION_URL" -c "INSERT INTO staff_group (tenant_id, user_id, group_id, kind, added_by)
      SELECT g.tenant_id, g.user_id, s.id, 'facility', g.user_id FROM staff_group g
      JOIN facility f ON f.tenant_id = g.tenant_id AND f.id = g.group_id AND f.name = 'Bench site 1'
      JOIN facility s ON s.tenant_id = g.tenant_id AND s.name = 'Bench site 2' ON CONFLICT DO NOTHING" >/dev/null
  else
    psql -q -v ON_ERROR_STOP=1 "$REGION_URL" -c "DELETE FROM staff_group g USING facility s
      WHERE s.tenant_id = g.tenant_id AND s.id = g.group_id AND s.name = 'Bench site 2'" >/dev/null
  fi
}
side() { # off | on (policy facility, the nurse at one site) | all (policy facility, the nurse at both sites)
  case $1 in
    off) both_sites no; scope off ;;
    on) both_sites no; scope facility ;;
    all) both_sites yes; scope facility ;;
  esac
}
read -r NURSE_N NURSE_TENANT NURSE_USER < "$OUT/clinicians.txt"
NURSE_TOKEN=$(sed -nE 's/.*n = '"$NURSE_N"', token = "([^"]+)".*/\1/p' "$OUT/clinicians.lua")
patient_id() { printf '00000000-0000-7000-8000-%012x' $((NURSE_N * 10000000 + $1)); }
statuses() { # the first nurse reading patient 1 (her site) and patient 2 (the other)
  for k in 1 2; do
    curl -s -o /dev/null -w '%{http_code} ' "$B/v1/patients/$(patient_id $k)" -H "Authorization: Bearer $NURSE_TOKEN"
  done
}
scope facility; ON_STATUSES=$(statuses)
scope off; OFF_STATUSES=$(statuses)
echo "   the nurse reads a patient of her site, then one of the other: policy on $ON_STATUSES, off $OFF_STATUSES"
if [ "$ON_STATUSES" != "200 404 " ] || [ "$OFF_STATUSES" != "200 200 " ]; then
  echo "the policy does not confine the nurse as expected (on: 200 404, off: 200 200)"; exit 1
fi

echo "== plans of the scoped reads (caduceus_app, tenant and nurse set, policy on): $OUT/scope-plans.txt"
scope facility
PATIENT_COLUMNS="id, mrn, family_name, given_name, birth_date, sex, preferred_language, contact, insurance,
  insurance_member_id_sealed, national_id_sealed, clinical, version, created_at, updated_at"
for mode in force_custom_plan force_generic_plan; do
  psql -q -v ON_ERROR_STOP=1 "$(APP_URL "$REGION_DB")" <<SQL
SET plan_cache_mode = $mode;
SELECT set_config('app.tenant_id', '$NURSE_TENANT', false), set_config('app.user_id', '$NURSE_USER', false) \\g /dev/null
PREPARE find(uuid) AS SELECT $PATIENT_COLUMNS FROM patient WHERE id = \$1 AND deleted_at IS NULL;
PREPARE first_page(int) AS SELECT $PATIENT_COLUMNS FROM patient WHERE deleted_at IS NULL AND id IN (
  SELECT id FROM patient WHERE deleted_at IS NULL ORDER BY lower(family_name), id LIMIT \$1)
  ORDER BY lower(family_name), id;
PREPARE by_word(text, text, int) AS SELECT $PATIENT_COLUMNS FROM patient WHERE deleted_at IS NULL
  AND id IN (SELECT patient_id FROM patient_name_word WHERE word >= \$1 AND word < \$2)
  ORDER BY lower(family_name), id LIMIT \$3;
\echo '### $mode: GET /v1/patients/{id} (PatientSql.FIND), a patient of the nurse''s site'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) EXECUTE find('$(patient_id 1)');
\echo '### $mode: the same, a patient of the other site (hidden: no row)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) EXECUTE find('$(patient_id 2)');
\echo '### $mode: GET /v1/patients, the first page (PatientSql.SEARCH without filters, 20 + 1)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) EXECUTE first_page(21);
\echo '### $mode: GET /v1/patients?name=Family123 (PatientSql.SEARCH_BY_WORD, 20 + 1)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) EXECUTE by_word('family123', 'family124', 21);
SQL
done > "$OUT/scope-plans.txt" 2>&1
scope off

echo "== warm-up: ${WARMUP}s per scenario, a third on each side (off, on, all)"
for warm in off on all; do
  side $warm
  for s in $SCOPE_SCENARIOS; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$((WARMUP / 3 + 1))s" -s "bench/lua/$s.lua" $B >/dev/null 2>&1 || true
  done
done

{
  echo "$(date -u +%FT%TZ), $(nproc) cores, $TENANTS tenants x $PATIENTS patients, ${DURATION}s a measurement" \
    "after ${SCOPE_SETTLE}s of load, $CONNECTIONS connections; a nurse of one facility of two"
  printf '%-24s %5s %8s %12s %10s %10s %8s\n' scenario round policy "per second" p50 p99 non-2xx
} | tee "$OUT/scope-rounds.txt"
for round in $(seq 1 "$SCOPE_ROUNDS"); do
  order="off on all"; [ $((round % 2)) -eq 0 ] && order="all on off"
  for s in $SCOPE_SCENARIOS; do
    for measured in $order; do
      side $measured
      read -r rps p50 p99 err rss <<< "$(WARMUP=$SCOPE_SETTLE measure_wrk "scope-$s-$round-$measured" "$s.lua")"
      printf '%-24s %5s %8s %12s %10s %10s %8s\n' "$s" "$round" "$measured" "$rps" "$p50" "$p99" "$err" \
        | tee -a "$OUT/scope-rounds.txt"
    done
  done
done
side off

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
{
  echo
  printf '%-24s %14s %14s %14s %8s %8s\n' scenario "off median/s" "on median/s" "all median/s" "on/off" "all/off"
  for s in $SCOPE_SCENARIOS; do
    off=$(awk -v s="$s" '$1==s && $3=="off" {print $4}' "$OUT/scope-rounds.txt" | median)
    on=$(awk -v s="$s" '$1==s && $3=="on" {print $4}' "$OUT/scope-rounds.txt" | median)
    all=$(awk -v s="$s" '$1==s && $3=="all" {print $4}' "$OUT/scope-rounds.txt" | median)
    printf '%-24s %14s %14s %14s %8s %8s\n' "$s" "$off" "$on" "$all" "$(ratio "$on" "$off")" "$(ratio "$all" "$off")"
  done
} | tee "$OUT/scope-summary.txt"
