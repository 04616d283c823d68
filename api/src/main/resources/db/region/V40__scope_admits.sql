-- The scoped access policy with one probe relation in the reading statement's plan instead of three (issue 15, the
-- benchmark of issue 17). V38's org_scope carried its three arms as EXISTS subqueries on patient_facility,
-- care_team_patient and emergency_access: every statement that reads a scoped table (a patient by id among them)
-- planned, started and locked three more relations, each with its own row-level security init plans, even for a
-- tenant whose policy is off and whose rows never reach an arm. Measured in PostgreSQL, that was two thirds of the
-- backend's time for a patient read by id (bench/README.md, "Scoped access policy on vs off").
--
-- Now keep_to_scope (db/tenant-tables) writes the policy as
--
--   (SELECT scope_groups() IS NULL AS unconfined)
--   OR ((SELECT scope_facilities()) <> '{}' AND EXISTS (SELECT 1 FROM patient_facility f WHERE f.tenant_id = ...
--        AND f.patient_id = <table>.<patient> AND f.facility_id = ANY ((SELECT scope_facilities())::uuid[])
--        OFFSET 0))
--   OR ((SELECT scope_care_teams()) <> '{}' AND scope_admits(<table>.tenant_id, <table>.<patient>,
--        (SELECT scope_care_teams())))
--   OR <table>.<patient> = ANY ((SELECT scope_emergency())::uuid[])
--
-- a hybrid: the facility arm stays an in-plan index probe (as in V38: a confined listing walking many rows pays a
-- few microseconds per row for it; OFFSET 0 keeps the planner from hashing the user's whole facility membership
-- instead, which it did for listings' generic plans, ~5 ms a page), the care-team arm is a plpgsql call made only when the memo's care-team half is
-- not empty, and the emergency arm reads the user's emergency accesses in force once per statement. So the plan
-- holds one relation of the policy's (patient_facility), not three; with the policy off the first arm is true and
-- nothing else runs. An earlier form of this migration (branch scope) moved the facility arm into scope_admits too:
-- a policy-off read got a little cheaper, but a confined first listing page called it ~66 times at 20-30 us each
-- (bench/README.md, "The arms out of the reading plan"). scope_admits is plpgsql, whose statement's plan PostgreSQL
-- prepares once per session and function, on care_team_patient's primary key leading with (tenant_id, patient_id).
-- Both functions run as the caller, so their reads keep to the probe tables' own tenant isolation and patient_self
-- policies; every name in them is schema-qualified and they take no SET clause (a SET on a function is paid on
-- every call, i.e. per row). afterMigrate makes every org_scope policy again in this form.

-- Whether the patient is on one of the care teams (the memo's care-team half, as the policy passes it). An empty or
-- null half (another session's memo) admits nothing and probes nothing.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.scope_admits(tenant uuid, patient uuid, teams uuid[])
  RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL RESTRICTED COST 200 AS $$
BEGIN
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
