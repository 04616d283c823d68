-- Row-level security and the scanner role's grants for tenant tables, written once. Flyway runs this callback
-- before the migrations of every regional migration set (see Migrations), in every place those migrations build:
-- a region's shared tables, a tenant schema, a tenant database. So a migration that adds a tenant table calls
-- these functions instead of copying the statements, e.g.
--
--   CREATE TABLE ${flyway:defaultSchema}.visit_note (tenant_id uuid NOT NULL, id uuid NOT NULL,
--     patient_id uuid NOT NULL, ..., PRIMARY KEY (tenant_id, id));
--   SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.visit_note', 'patient_id');
--   GRANT SELECT, INSERT ON ${flyway:defaultSchema}.visit_note TO ${app_role};
--
-- (leave out the patient column for a table a patient acting for themself may not be kept to, such as a fee list)
-- and, for a background job that must find the tenants with due work without reading any tenant's rows:
--
--   SELECT ${flyway:defaultSchema}.grant_scanner_reads('${flyway:defaultSchema}.visit_note', '${scanner_role}');
--   CREATE FUNCTION ${flyway:defaultSchema}.visit_note_due_tenants() RETURNS SETOF uuid
--     LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS (the query);
--   SELECT ${flyway:defaultSchema}.hand_to_scanner('${flyway:defaultSchema}.visit_note_due_tenants()',
--     '${scanner_role}', '${app_role}');
--
-- The app role's privileges differ table by table, so each migration grants them itself. Migrations applied before
-- these functions existed keep their own copies of the statements: Flyway checksums applied migrations.
-- CREATE OR REPLACE keeps a function's parameters: changing them needs a DROP FUNCTION first.

-- Forces row-level security on a tenant table: the tenant_isolation policy keeps every role but the scanner to the
-- rows of the tenant in app.tenant_id, and, given the column that names a row's patient, the restrictive
-- patient_self policy keeps a patient acting for themself (app.patient_id) to rows about themself.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.secure_tenant_table(tbl regclass, patient_column name DEFAULT NULL)
  RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s'
    || ' USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)'
    || ' WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)', tbl);
  IF patient_column IS NOT NULL THEN
    PERFORM ${flyway:defaultSchema}.keep_to_patient(tbl, patient_column);
  END IF;
END $$;

-- (Re)creates the restrictive patient_self policy. The setting is read in scalar subqueries, which PostgreSQL runs
-- once per statement (init plans) rather than once per row: a statement that scans many rows, such as a patient
-- name search, pays for it once. Whether a patient acts is the first subquery's boolean itself, not an IS NULL test
-- of its value: the planner knows nothing of either, but it takes "(init plan) IS NULL" for 0.5 % of the rows and
-- a boolean init plan for half, so a policy of the former had every scan of a guarded table estimated at a two
-- hundredth of its rows (a care team's page sorted all the team's rows after its cursor to keep to an estimate of
-- two: CareTeamPatientsPlanTest). afterMigrate makes a policy of the older form again.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.keep_to_patient(tbl regclass, patient_column name)
  RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('DROP POLICY IF EXISTS patient_self ON %s', tbl);
  EXECUTE format('CREATE POLICY patient_self ON %s AS RESTRICTIVE'
    || ' USING ((SELECT nullif(current_setting(''app.patient_id'', true), '''') IS NULL AS no_patient)'
    || ' OR %I = (SELECT nullif(current_setting(''app.patient_id'', true), '''')::uuid))', tbl, patient_column);
END $$;

-- (Re)creates the restrictive org_scope policy: the tenant's scoped access policy (issue 15, region V31). A row is
-- read only when scope_groups() confines nothing (policy off; a patient, an admin or the platform's work), or its
-- patient is at a facility or on a care team in force for the user, or the user holds emergency access to that
-- patient now (scope_emergency). scope_groups() runs once per statement (init plan) and returns the connection's
-- memo of the groups unless they changed (region V38); the halves are read after it. The plan holds one relation
-- of the policy's (region V40): the facility arm is an in-plan EXISTS probe of patient_facility (a few microseconds
-- per row a confined listing walks), the care-team arm a call of scope_admits made only when the memo's care-team
-- half is not empty (plpgsql, its probe of care_team_patient prepared once per session), the emergency arm an init
-- plan. The EXISTS ends in OFFSET 0, which keeps the planner from turning it into a hashed subplan: otherwise a
-- listing's generic plan read every patient_facility row of the user's facilities into a hash table per statement
-- (10,000 rows, ~5 ms, for a first page that needs 45 probes of ~2 us). The first arm (region V43) reads the
-- tenant's access_policy row in an init plan of the statement's own and asks scope_unconfined (inlined SQL), so a
-- tenant whose policy is off, a patient and an unconfined actor pay one index probe per statement and no plpgsql
-- call; a confined statement calls scope_groups() next (init plan), which makes the memo the halves read current,
-- and a confined read pays at most two index probes per row, each on a (tenant_id, patient_id)-first primary key. It applies to SELECT, so to every UPDATE and DELETE that reads a row and to every
-- INSERT ... RETURNING; only the app role is confined (the scanner reads tenants, not patients; the owner copies
-- whole tenants). afterMigrate applies it to every table with a patient_self policy but the policy's own inputs, so
-- a migration adding a table that carries a patient needs no extra call; it needs region V43's functions to exist.
--
-- A table whose rows carry their patient's groups (region V41: patient.group_ids, kept by triggers from
-- patient_facility and care_team_patient, and copied into the patient's name words) probes no other table per row:
-- its facility and care-team arms are one overlap of group_ids, on the row already read, with the member's groups in
-- force (region V43's scope_reach, null when nothing is confined), which an init plan reads once per statement
-- beside the tenant's access_policy row, without a plpgsql call once the member's groups are kept.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.keep_to_scope(tbl regclass, patient_column name)
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  rel name := (SELECT relname FROM pg_class WHERE oid = tbl);
BEGIN
  EXECUTE format('DROP POLICY IF EXISTS org_scope ON %s', tbl);
  IF ${flyway:defaultSchema}.carries_groups(tbl) THEN
    EXECUTE format('CREATE POLICY org_scope ON %1$s AS RESTRICTIVE FOR SELECT TO %2$I USING ('
      || 'coalesce(%3$I.group_ids && (SELECT ${flyway:defaultSchema}.scope_reach(p.scope, p.org_version)'
      || '   FROM ${flyway:defaultSchema}.access_policy p'
      || '   WHERE p.tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid), true)'
      || ' OR %3$I.%4$I = ANY ((SELECT ${flyway:defaultSchema}.scope_emergency())::uuid[]))',
      tbl, '${app_role}', rel, patient_column);
    RETURN;
  END IF;
  EXECUTE format('CREATE POLICY org_scope ON %1$s AS RESTRICTIVE FOR SELECT TO %2$I USING ('
    || 'coalesce((SELECT ${flyway:defaultSchema}.scope_unconfined(p.scope) FROM ${flyway:defaultSchema}.access_policy p'
    || '   WHERE p.tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid), true)'
    || ' OR ((SELECT ${flyway:defaultSchema}.scope_groups() IS NOT NULL AS confined) AND ('
    || '   ((SELECT ${flyway:defaultSchema}.scope_facilities()) <> ''{}'' AND EXISTS (SELECT 1'
    || '     FROM ${flyway:defaultSchema}.patient_facility f WHERE f.tenant_id = %3$I.tenant_id'
    || '     AND f.patient_id = %3$I.%4$I AND f.facility_id = ANY ((SELECT ${flyway:defaultSchema}.scope_facilities())::uuid[])'
    || '     OFFSET 0))'
    || '   OR ((SELECT ${flyway:defaultSchema}.scope_care_teams()) <> ''{}'' AND ${flyway:defaultSchema}.scope_admits('
    || '     %3$I.tenant_id, %3$I.%4$I, (SELECT ${flyway:defaultSchema}.scope_care_teams())))))'
    || ' OR %3$I.%4$I = ANY ((SELECT ${flyway:defaultSchema}.scope_emergency())::uuid[]))',
    tbl, '${app_role}', rel, patient_column);
END $$;

-- Whether the table's rows carry their patient's groups (the group_ids column of region V41).
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.carries_groups(tbl regclass)
  RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = tbl AND a.attname = 'group_ids' AND NOT a.attisdropped)
$$;

-- Lets the NOLOGIN scanner role read a tenant table across tenants, for the due-work functions it owns.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.grant_scanner_reads(tbl regclass, scanner name)
  RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE POLICY scanner_reads ON %s FOR SELECT TO %I USING (true)', tbl, scanner);
  EXECUTE format('GRANT SELECT ON %s TO %I', tbl, scanner);
END $$;

-- Hands a SECURITY DEFINER due-work function to the scanner role, so it runs with the scanner's cross-tenant reads,
-- and lets only the app role call it. Taking ownership needs CREATE on the function's schema, which the scanner
-- is lent for the moment unless it holds it already (a tenant schema lends it for the whole migration).
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.hand_to_scanner(fn regprocedure, scanner name, app name)
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  home name := (SELECT n.nspname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.oid = fn);
  lent boolean := NOT has_schema_privilege(scanner, home, 'CREATE');
BEGIN
  IF lent THEN
    EXECUTE format('GRANT CREATE ON SCHEMA %I TO %I', home, scanner);
  END IF;
  EXECUTE format('ALTER FUNCTION %s OWNER TO %I', fn, scanner);
  IF lent THEN
    EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM %I', home, scanner);
  END IF;
  EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', fn);
  EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', fn, app);
END $$;

REVOKE ALL ON FUNCTION ${flyway:defaultSchema}.secure_tenant_table(regclass, name) FROM PUBLIC;
REVOKE ALL ON FUNCTION ${flyway:defaultSchema}.keep_to_patient(regclass, name) FROM PUBLIC;
REVOKE ALL ON FUNCTION ${flyway:defaultSchema}.keep_to_scope(regclass, name) FROM PUBLIC;
REVOKE ALL ON FUNCTION ${flyway:defaultSchema}.carries_groups(regclass) FROM PUBLIC;
REVOKE ALL ON FUNCTION ${flyway:defaultSchema}.grant_scanner_reads(regclass, name) FROM PUBLIC;
REVOKE ALL ON FUNCTION ${flyway:defaultSchema}.hand_to_scanner(regprocedure, name, name) FROM PUBLIC;
