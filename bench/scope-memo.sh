#!/usr/bin/env bash
# What serving members in turn on one connection costs the scoped access policy (issue 15, region V42), inside
# PostgreSQL alone: the backend's CPU time (utime + stime of /proc/<pid>/stat, so the server must run on this
# machine) per read, for BENCH_SCOPE_MEMO_READS (10,000) pairs of statements as the API sends them: the scope
# (set_config of tenant, user and session) then PatientSql.FIND of a patient of the nurse's first site, as
# caduceus_app. Sides: `single` (always the first tenant's nurse) and `alt` (the first and second tenants' nurses in
# turn, so each statement follows another member's), each with every tenant's policy `off` and `facility`; three
# interleaved rounds, each over the forms of the policy on `patient` in BENCH_SCOPE_MEMO_FORMS (`current`, the
# policy as the script found it; others from bench/scope-forms.sh, e.g. "v41 v43"). Needs a run directory of a BENCH_SCOPE_COMPARE setup with two tenants (bench/scope.sh has made
# the sites and the nurses' memberships):
#
#   BENCH_SCOPE_COMPARE=1 BENCH_TENANTS=2 BENCH_PATIENTS=10000 bench/run.sh     # then, with its databases left:
#   bench/scope-memo.sh bench/results/bench_<n>
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_DIR=${1:?the run directory of a BENCH_SCOPE_COMPARE setup with two tenants}
PG=${BENCH_PG_SUPERUSER_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
READS=${BENCH_SCOPE_MEMO_READS:-10000}
HOSTPORT=$(echo "$PG" | sed -E 's#postgresql://[^@]*@([^/]*)/.*#\1#')
REGION_DB=$(basename "$RUN_DIR")_us
URL=$(echo "$PG" | sed -E "s#/[^/]*\$#/$REGION_DB#")
APP="postgresql://caduceus_app:bench@$HOSTPORT/$REGION_DB"
read -r N1 T1 U1 < <(sed -n 1p "$RUN_DIR/clinicians.txt")
read -r N2 T2 U2 < <(sed -n 2p "$RUN_DIR/clinicians.txt")
PATIENTS=$(psql -tA "$URL" -c "SELECT count(*) FROM patient WHERE tenant_id = '$T1'")
COLUMNS="id, mrn, family_name, given_name, birth_date, sex, preferred_language, contact, insurance,
  insurance_member_id_sealed, national_id_sealed, clinical, version, created_at, updated_at"
FORMS=${BENCH_SCOPE_MEMO_FORMS:-current}
sql() { psql -q -v ON_ERROR_STOP=1 "$URL" "$@" >/dev/null; }
SCHEMA=$(psql -tA "$URL" -c "SELECT relnamespace::regnamespace FROM pg_class WHERE oid = 'patient'::regclass")
CURRENT=$(psql -tA "$URL" -c "SELECT pg_get_expr(polqual, polrelid) FROM pg_policy
  WHERE polrelid = 'patient'::regclass AND polname = 'org_scope'")
# shellcheck source=bench/scope-forms.sh
source bench/scope-forms.sh
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; sql -c "UPDATE access_policy SET scope = '"'off'"'"; form current' EXIT
script() { # single | alt
  {
    echo "SELECT pg_backend_pid() AS pid \\gset"
    echo "\\setenv BACKEND_PID :pid"
    echo "PREPARE find(uuid) AS SELECT $COLUMNS FROM patient WHERE id = \$1 AND deleted_at IS NULL;"
    echo "PREPARE scope(text, text, text) AS SELECT set_config('app.tenant_id', \$1, false),"
    echo "  set_config('app.user_id', \$2, false), set_config('app.session_id', \$3, false);"
    awk -v n="$READS" -v mode="$1" -v n1="$N1" -v t1="$T1" -v u1="$U1" -v n2="$N2" -v t2="$T2" -v u2="$U2" \
      -v p="$PATIENTS" -v out="$WORK" 'BEGIN {
      for (i = 1; i <= n + 500; i++) {
        if (i == 501) printf "\\! awk %c{print $14 + $15}%c /proc/$BACKEND_PID/stat > %s/before\n", 39, 39, out
        second = mode == "alt" && i % 2 == 0
        printf "EXECUTE scope(%c%s%c, %c%s%c, %c00000000-0000-4000-8000-00000000000%d%c) \\g /dev/null\n",
          39, second ? t2 : t1, 39, 39, second ? u2 : u1, 39, 39, second ? 2 : 1, 39
        printf "EXECUTE find(%c00000000-0000-7000-8000-%012x%c) \\g /dev/null\n",
          39, (second ? n2 : n1) * 10000000 + 2 * (i % int(p / 2)) + 1, 39
      }
      printf "\\! awk %c{print $14 + $15}%c /proc/$BACKEND_PID/stat > %s/after\n", 39, 39, out }'
  } > "$WORK/$1.sql"
}
script single
script alt
HZ=$(getconf CLK_TCK)
printf '%-7s %5s %-8s %-6s %12s\n' form round policy side "us per read"
for round in 1 2 3; do
  for f in $FORMS; do
    form "$f"
    for policy in off facility; do
      sql -c "UPDATE access_policy SET scope = '$policy'"
      for side in single alt; do
        psql -qtA "$APP" -f "$WORK/$side.sql" >/dev/null
        printf '%-7s %5s %-8s %-6s %12s\n' "$f" "$round" "$policy" "$side" "$(awk -v b="$(cat "$WORK/before")" \
          -v a="$(cat "$WORK/after")" -v hz="$HZ" -v n="$READS" 'BEGIN {printf "%.1f", (a - b) * 1e6 / hz / n}')"
      done
    done
  done
done
