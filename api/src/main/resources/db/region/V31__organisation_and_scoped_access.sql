-- The organisation (issue 15): departments and service lines inside facilities (V30), care teams, the groups staff
-- belong to, the facilities and care teams patients belong to, the tenant's access policy, each session's active
-- group, and emergency (break-glass) access; then the scoped access policy itself, as a function row-level security
-- evaluates once per statement. The org_scope policy that applies it to every table carrying a patient is made by
-- keep_to_scope (db/tenant-tables), which afterMigrate calls for every table with a patient_self policy.

-- Departments and service lines of a facility.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.department (
  tenant_id   uuid NOT NULL,
  id          uuid NOT NULL,
  facility_id uuid NOT NULL,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind        text NOT NULL DEFAULT 'department' CHECK (kind IN ('department', 'service_line')),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  version     integer NOT NULL DEFAULT 1,
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, facility_id) REFERENCES ${flyway:defaultSchema}.facility (tenant_id, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS department_name ON ${flyway:defaultSchema}.department
  (tenant_id, facility_id, lower(name));
CREATE INDEX IF NOT EXISTS department_by_name ON ${flyway:defaultSchema}.department
  (tenant_id, facility_id, lower(name), id);

-- Care teams group staff around patients; a team may belong to a facility.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.care_team (
  tenant_id   uuid NOT NULL,
  id          uuid NOT NULL,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  facility_id uuid,
  description text CHECK (length(description) <= 2000),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  version     integer NOT NULL DEFAULT 1,
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, facility_id) REFERENCES ${flyway:defaultSchema}.facility (tenant_id, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS care_team_name ON ${flyway:defaultSchema}.care_team (tenant_id, lower(name));
CREATE INDEX IF NOT EXISTS care_team_by_name ON ${flyway:defaultSchema}.care_team (tenant_id, lower(name), id);

-- The groups a member of staff belongs to (any number of each kind). group_id names a facility, a department or a
-- care team of the tenant, as kind says.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.staff_group (
  tenant_id uuid NOT NULL,
  user_id   uuid NOT NULL,
  group_id  uuid NOT NULL,
  kind      text NOT NULL CHECK (kind IN ('facility', 'department', 'care_team')),
  added_by  uuid NOT NULL,
  added_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, group_id)
);
CREATE INDEX IF NOT EXISTS staff_group_members ON ${flyway:defaultSchema}.staff_group (tenant_id, group_id, user_id);

-- The facilities a patient is registered at, and the care teams a patient is on. Both are inputs of the scoped
-- access policy, so they are kept to the tenant and to a patient acting for themself, not to the policy itself.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.patient_facility (
  tenant_id   uuid NOT NULL,
  patient_id  uuid NOT NULL,
  facility_id uuid NOT NULL,
  added_by    uuid NOT NULL,
  added_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, patient_id, facility_id),
  FOREIGN KEY (tenant_id, facility_id) REFERENCES ${flyway:defaultSchema}.facility (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS patient_facility_patients ON ${flyway:defaultSchema}.patient_facility
  (tenant_id, facility_id, patient_id);

CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.care_team_patient (
  tenant_id    uuid NOT NULL,
  patient_id   uuid NOT NULL,
  care_team_id uuid NOT NULL,
  added_by     uuid NOT NULL,
  added_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, patient_id, care_team_id),
  FOREIGN KEY (tenant_id, care_team_id) REFERENCES ${flyway:defaultSchema}.care_team (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS care_team_patient_patients ON ${flyway:defaultSchema}.care_team_patient
  (tenant_id, care_team_id, patient_id);

-- The tenant's access policy; no row means the defaults (scope off, combined view, 60 minutes of break-glass).
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.access_policy (
  tenant_id           uuid NOT NULL,
  scope               text NOT NULL DEFAULT 'off'
                      CHECK (scope IN ('off', 'facility', 'care_team', 'facility_or_care_team')),
  group_view          text NOT NULL DEFAULT 'combined' CHECK (group_view IN ('combined', 'switchable')),
  break_glass_minutes integer NOT NULL DEFAULT 60 CHECK (break_glass_minutes BETWEEN 5 AND 1440),
  version             integer NOT NULL DEFAULT 1,
  updated_by          uuid NOT NULL,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);

-- The group a switchable member chose for one login session (app.session_id). A new session has none: under a
-- switchable view it sees no scoped patients until its user picks a group.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.session_group (
  tenant_id  uuid NOT NULL,
  session_id uuid NOT NULL,
  user_id    uuid NOT NULL,
  group_id   uuid NOT NULL,
  chosen_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, session_id)
);

-- Emergency (break-glass) access: a user's time-boxed access to one patient outside their groups.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.emergency_access (
  tenant_id  uuid NOT NULL,
  id         uuid NOT NULL,
  user_id    uuid NOT NULL,
  patient_id uuid NOT NULL,
  reason     text NOT NULL CHECK (length(reason) BETWEEN 10 AND 1000),
  granted_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ended_at   timestamptz,
  PRIMARY KEY (tenant_id, id),
  CHECK (expires_at > granted_at)
);
CREATE INDEX IF NOT EXISTS emergency_access_in_force ON ${flyway:defaultSchema}.emergency_access
  (tenant_id, user_id, patient_id, expires_at);
CREATE INDEX IF NOT EXISTS emergency_access_by_time ON ${flyway:defaultSchema}.emergency_access
  (tenant_id, granted_at, id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['department', 'care_team', 'staff_group', 'access_policy', 'session_group'] LOOP
    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.%I', t);
    PERFORM ${flyway:defaultSchema}.secure_tenant_table(format('${flyway:defaultSchema}.%I', t)::regclass);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['patient_facility', 'care_team_patient', 'emergency_access'] LOOP
    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.%I', t);
    PERFORM ${flyway:defaultSchema}.secure_tenant_table(format('${flyway:defaultSchema}.%I', t)::regclass,
      'patient_id');
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON ${flyway:defaultSchema}.department, ${flyway:defaultSchema}.care_team,
  ${flyway:defaultSchema}.access_policy, ${flyway:defaultSchema}.emergency_access TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ${flyway:defaultSchema}.staff_group, ${flyway:defaultSchema}.patient_facility,
  ${flyway:defaultSchema}.care_team_patient, ${flyway:defaultSchema}.session_group TO ${app_role};

-- The groups in force for this statement's session, as facility and care team ids (a department counts as its
-- facility), or null when the scoped access policy confines nothing: the tenant's policy is off, or the session is
-- one the policy leaves alone (a patient acting for themself, governed by patient_self; app.sees_all, which only
-- TenantScope sets, for a tenant admin and the platform's work). Anything else is confined, a session that sets
-- only its tenant and user included. The groups come from the membership tables for app.user_id, so the app cannot
-- hand the database a wrong list; under a switchable view only the session's chosen group counts, and only while
-- the user still belongs to it. Policies call it in a scalar subquery: once per statement (an init plan).
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.scope_groups() RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
  actor uuid := nullif(current_setting('app.user_id', true), '')::uuid;
  chosen_session uuid := nullif(current_setting('app.session_id', true), '')::uuid;
  policy ${flyway:defaultSchema}.access_policy;
  groups uuid[];
BEGIN
  IF nullif(current_setting('app.patient_id', true), '') IS NOT NULL
      OR current_setting('app.sees_all', true) = 'on' THEN
    RETURN NULL;
  END IF;
  SELECT * INTO policy FROM ${flyway:defaultSchema}.access_policy p WHERE p.tenant_id = tenant;
  IF NOT FOUND OR policy.scope = 'off' THEN
    RETURN NULL;
  END IF;
  SELECT coalesce(array_agg(DISTINCT CASE WHEN g.kind = 'department' THEN d.facility_id ELSE g.group_id END), '{}')
    INTO groups
    FROM ${flyway:defaultSchema}.staff_group g
    LEFT JOIN ${flyway:defaultSchema}.department d ON d.tenant_id = g.tenant_id AND d.id = g.group_id
   WHERE g.tenant_id = tenant AND g.user_id = actor
     AND (policy.scope = 'facility_or_care_team'
          OR (policy.scope = 'facility' AND g.kind IN ('facility', 'department'))
          OR (policy.scope = 'care_team' AND g.kind = 'care_team'))
     AND (policy.group_view = 'combined' OR g.group_id = (
          SELECT s.group_id FROM ${flyway:defaultSchema}.session_group s
           WHERE s.tenant_id = tenant AND s.session_id = chosen_session AND s.user_id = actor));
  RETURN groups;
END $$;
