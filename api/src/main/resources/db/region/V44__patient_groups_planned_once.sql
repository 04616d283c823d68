-- A patient's groups read with a plan kept for the session (issue 17's creates). V41's patient_groups() was a SQL
-- function with a FROM clause, which PostgreSQL cannot inline: called from plpgsql (patient_groups_at_insert, every
-- new patient row; regroup_patient), it ran through the SQL-function executor, which parses and plans its query
-- again in each transaction (a plpgsql expression's state lasts one transaction). Measured with pgbench as the app
-- role, one client, a transaction of the scope and one patient INSERT (rolled back): 1,445-1,453 tps, against
-- 1,937-1,988 with this plpgsql body, whose query plpgsql prepares once per session, and 2,055 without the trigger:
-- about 180 us of PostgreSQL's time per create (bench/README.md, "Issue 17's targets on a quiet machine, in one
-- session").

CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.patient_groups(tenant uuid, patient uuid) RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$
BEGIN
  RETURN (SELECT coalesce(array_agg(g ORDER BY g), '{}') FROM (
    SELECT f.facility_id AS g FROM ${flyway:defaultSchema}.patient_facility f
     WHERE f.tenant_id = tenant AND f.patient_id = patient
    UNION
    SELECT c.care_team_id FROM ${flyway:defaultSchema}.care_team_patient c
     WHERE c.tenant_id = tenant AND c.patient_id = patient) groups);
END $$;
