-- The scoped access policy with no probe relation in the reading statement's plan (issue 15, the benchmark of issue
-- 17). V38's org_scope carried its three arms as EXISTS subqueries on patient_facility, care_team_patient and
-- emergency_access: every statement that reads a scoped table (a patient by id among them) planned, started and
-- locked three more relations, each with its own row-level security init plans, even for a tenant whose policy is
-- off and whose rows never reach an arm. Measured in PostgreSQL, that was two thirds of the backend's time for a
-- patient read by id (bench/README.md, "Scoped access policy on vs off").
--
-- Now keep_to_scope (db/tenant-tables) writes the policy as
--
--   (SELECT scope_groups() IS NULL AS unconfined)
--   OR scope_admits(<table>.tenant_id, <table>.<patient>, (SELECT scope_facilities()), (SELECT scope_care_teams()))
--   OR <table>.<patient> = ANY ((SELECT scope_emergency())::uuid[])
--
-- so the statement's plan holds init plans and a function call, no relation: with the policy off the first arm is
-- true and nothing else runs. scope_admits is plpgsql, whose statements' plans PostgreSQL prepares once per session
-- and function, and probes only the arms whose half of the memo is not empty, each on a primary key leading with
-- (tenant_id, patient_id). scope_emergency reads the user's emergency accesses in force once per statement (as the
-- hashed subplan before it did). Both run as the caller, so their reads keep to the probe tables' own tenant
-- isolation and patient_self policies; every name in them is schema-qualified and they take no SET clause (a SET
-- on a function is paid on every call, i.e. per row). afterMigrate makes every org_scope policy again in this form.
-- The price: a confined session pays a plpgsql call per row the policy judges, dearer than an in-plan index probe,
-- which a listing walking many rows feels (bench/README.md, "The arms out of the reading plan").

-- Whether the patient is at one of the facilities or on one of the care teams (the memo's halves, as the policy
-- passes them). An empty or null half is not probed; a null one (another session's memo) admits nothing.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.scope_admits(tenant uuid, patient uuid, facilities uuid[],
                                                               teams uuid[])
  RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL RESTRICTED COST 200 AS $$
BEGIN
  IF cardinality(facilities) > 0 THEN
    IF EXISTS (SELECT 1 FROM ${flyway:defaultSchema}.patient_facility f
                WHERE f.tenant_id = tenant AND f.patient_id = patient AND f.facility_id = ANY (facilities)) THEN
      RETURN true;
    END IF;
  END IF;
  IF cardinality(teams) > 0 THEN
    RETURN EXISTS (SELECT 1 FROM ${flyway:defaultSchema}.care_team_patient c
                    WHERE c.tenant_id = tenant AND c.patient_id = patient AND c.care_team_id = ANY (teams));
  END IF;
  RETURN false;
END $$;

-- The patients the session's user holds emergency (break-glass) access to now, in this tenant.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.scope_emergency() RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$
BEGIN
  RETURN (SELECT coalesce(array_agg(e.patient_id), '{}') FROM ${flyway:defaultSchema}.emergency_access e
           WHERE e.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
             AND e.user_id = nullif(current_setting('app.user_id', true), '')::uuid
             AND e.expires_at > now() AND e.ended_at IS NULL);
END $$;
