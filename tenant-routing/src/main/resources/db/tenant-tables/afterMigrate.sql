-- After every regional migration set, on the tables of the set's schema:
--
--   * a patient_self policy of an older keep_to_patient (one whose first arm tests the setting IS NULL instead of
--     being the boolean no_patient, which the planner estimated at 0.5 % of any scan) is made again;
--   * the scoped access policy (keep_to_scope, issue 15) on every table that keeps a patient acting for themself to
--     their own rows (a patient_self policy), so a table any module adds later is scoped without a call of its own.
--     The policy's inputs (a patient's facilities and care teams, emergency access) are left out: a policy cannot
--     read a table it guards. Nothing happens before region V43 has created the policy's functions; on a fresh
--     place the region set runs before the notifications set, whose own pass scopes the notification tables. A
--     policy made by an older keep_to_scope is made again: V38's (all three probes in the reading statement's plan,
--     no scope_admits), one with the facility arm inside scope_admits too (no patient_facility in the plan), one
--     whose facility probe lacks OFFSET 0 (the planner could hash it), one whose first arm is not region V43's
--     init plan on access_policy (scope_unconfined), and on a table whose rows carry their
--     patient's groups (region V41: patient, patient_name_word) any form but region V43's overlap of group_ids with
--     scope_reach.
DO $$
DECLARE
  r record;
  scoping boolean := to_regprocedure('${flyway:defaultSchema}.scope_unconfined(text)') IS NOT NULL;
BEGIN
  FOR r IN
    SELECT p.polrelid::regclass AS tbl,
           substring(pg_get_expr(p.polqual, p.polrelid) FROM 'OR \(([a-z_]+) = ') AS col,
           pg_get_expr(p.polqual, p.polrelid) NOT LIKE '%AS no_patient)%' AS older_self,
           c.relname NOT IN ('patient_facility', 'care_team_patient', 'emergency_access') AS scopable,
           (SELECT pg_get_expr(o.polqual, o.polrelid) FROM pg_policy o
             WHERE o.polrelid = c.oid AND o.polname = 'org_scope') AS scope
      FROM pg_policy p
      JOIN pg_class c ON c.oid = p.polrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = '${flyway:defaultSchema}' AND p.polname = 'patient_self'
  LOOP
    IF r.col IS NULL THEN
      RAISE EXCEPTION 'the patient_self policy of % names no patient column', r.tbl;
    END IF;
    IF r.older_self THEN
      PERFORM ${flyway:defaultSchema}.keep_to_patient(r.tbl, r.col);
    END IF;
    IF scoping AND r.scopable AND (r.scope IS NULL OR CASE
        WHEN ${flyway:defaultSchema}.carries_groups(r.tbl) THEN r.scope NOT LIKE '%scope_reach(%'
        ELSE r.scope NOT LIKE '%patient_facility%OFFSET 0%' OR r.scope NOT LIKE '%scope_admits(%'
          OR r.scope NOT LIKE '%scope_unconfined(%' END) THEN
      PERFORM ${flyway:defaultSchema}.keep_to_scope(r.tbl, r.col);
    END IF;
  END LOOP;
END $$;
