# The forms of the scoped access policy (issue 15) on `patient` that bench/scope-pg.sh and bench/scope-memo.sh
# measure, sourced by both. Needs SCHEMA (the schema of `patient`), CURRENT (the policy as the script found it, for
# `current`) and sql (psql on the region database as its owner).

form() { # v38 | v40 | v41 | v43 | admits | first | floor | current (as the script found it): org_scope on patient
  local using
  case $1 in
    v41) using="(SELECT $SCHEMA.scope_groups() IS NULL AS unconfined)
      OR patient.group_ids && (SELECT $SCHEMA.scope_in_force())
      OR patient.id = ANY ((SELECT $SCHEMA.scope_emergency())::uuid[])" ;;
    v43) using="coalesce(patient.group_ids && (SELECT $SCHEMA.scope_reach(p.scope, p.org_version)
        FROM $SCHEMA.access_policy p WHERE p.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid), true)
      OR patient.id = ANY ((SELECT $SCHEMA.scope_emergency())::uuid[])" ;;
    current) using=$CURRENT ;;
    v40) using="(SELECT $SCHEMA.scope_groups() IS NULL AS unconfined)
      OR ((SELECT $SCHEMA.scope_facilities()) <> '{}' AND EXISTS (SELECT 1 FROM $SCHEMA.patient_facility f
          WHERE f.tenant_id = patient.tenant_id AND f.patient_id = patient.id
          AND f.facility_id = ANY ((SELECT $SCHEMA.scope_facilities())::uuid[]) OFFSET 0))
      OR ((SELECT $SCHEMA.scope_care_teams()) <> '{}' AND $SCHEMA.scope_admits(patient.tenant_id, patient.id,
          (SELECT $SCHEMA.scope_care_teams())))
      OR patient.id = ANY ((SELECT $SCHEMA.scope_emergency())::uuid[])" ;;
    admits) using="(SELECT $SCHEMA.scope_groups() IS NULL AS unconfined)
      OR $SCHEMA.scope_admits4(patient.tenant_id, patient.id, (SELECT $SCHEMA.scope_facilities()),
         (SELECT $SCHEMA.scope_care_teams()))
      OR patient.id = ANY ((SELECT $SCHEMA.scope_emergency())::uuid[])" ;;
    first) using="(SELECT $SCHEMA.scope_groups() IS NULL AS unconfined)" ;;
    floor) using="(SELECT $SCHEMA.scope_groups()) IS NULL OR true" ;;
    v38) using="(SELECT $SCHEMA.scope_groups()) IS NULL
      OR ((SELECT $SCHEMA.scope_facilities()) <> '{}' AND EXISTS (SELECT 1 FROM $SCHEMA.patient_facility f
          WHERE f.tenant_id = patient.tenant_id AND f.patient_id = patient.id
          AND f.facility_id = ANY ((SELECT $SCHEMA.scope_facilities())::uuid[])))
      OR ((SELECT $SCHEMA.scope_care_teams()) <> '{}' AND EXISTS (SELECT 1 FROM $SCHEMA.care_team_patient c
          WHERE c.tenant_id = patient.tenant_id AND c.patient_id = patient.id
          AND c.care_team_id = ANY ((SELECT $SCHEMA.scope_care_teams())::uuid[])))
      OR EXISTS (SELECT 1 FROM $SCHEMA.emergency_access e WHERE e.tenant_id = patient.tenant_id
          AND e.user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid)
          AND e.patient_id = patient.id AND e.expires_at > now() AND e.ended_at IS NULL)" ;;
  esac
  sql -c "BEGIN; DROP POLICY org_scope ON $SCHEMA.patient;
    CREATE POLICY org_scope ON $SCHEMA.patient AS RESTRICTIVE FOR SELECT TO caduceus_app USING ($using); COMMIT;"
}
