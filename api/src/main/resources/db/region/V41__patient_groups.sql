-- A patient row carries the groups it belongs to, so the scoped access policy on patient reads no other table
-- (issue 15, the benchmark of issue 17).
--
-- Region V40's org_scope kept one probe relation in the plan of every statement that reads a patient:
-- patient_facility, with its own row-level security init plans. It is planned, locked and started on every
-- execution, whether or not a row reaches it, and a confined read probes it once per row. Measured in PostgreSQL,
-- a read by id paid 26-35 us for it with the policy off and 40-50 us with it on, against a floor of about 35 us for
-- the whole read (bench/README.md, "Scoped access policy on vs off"); a confined first page probed it once per
-- index entry it walked.
--
-- Now patient.group_ids holds the ids of the patient's facilities (patient_facility) and care teams
-- (care_team_patient), sorted and without repeats, and keep_to_scope (db/tenant-tables) writes patient's policy as
--
--   (SELECT scope_groups() IS NULL AS unconfined)
--   OR group_ids && (SELECT scope_in_force())
--   OR id = ANY ((SELECT scope_emergency())::uuid[])
--
-- an array overlap with the memo's groups (region V38) on the row already read: no probe relation in the plan.
-- The patient's name words (patient_name_word, which a name search walks) carry a copy of group_ids and the same
-- form. The other tables that carry a patient keep V40's form (their rows name the patient; reading patient from
-- their policy would be a probe again). The keyset index of listings and the words' key hold group_ids too, so a
-- listing's walk and a search's stay index-only scans under the policy, on or off.
--
-- The column is derived, never written by the application:
--   * after a change of patient_facility or care_team_patient, the patient's row takes the group in or out
--     (patient_group_moved). The trigger runs as the writer, so the update keeps to the writer's tenant; the
--     writer's own confinement is lifted for that one statement (app.sees_all), since a nurse who adds a
--     patient of another site to hers must make that row hers, which she cannot read yet;
--   * a new patient row takes the groups its id already has (patient_groups_at_insert): a registration writes
--     the patient's facility before the patient (PatientService.create), and a tenant's rows copied to another
--     place (TenantRows) arrive in table-name order, care_team_patient before patient before patient_facility.
-- Sorted, the array is the same wherever it was rebuilt and in whichever order the rows came, so a copied tenant's
-- checksums match its source's.
-- A change of group_ids alone writes no patient version (it is not part of the patient's record).

ALTER TABLE ${flyway:defaultSchema}.patient ADD COLUMN IF NOT EXISTS group_ids uuid[] NOT NULL DEFAULT '{}';

-- The memo's facilities and care teams together (both halves as scope_facilities and scope_care_teams give them:
-- null when the memo is another session's, and then nothing overlaps).
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.scope_in_force() RETURNS uuid[]
  LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$
  SELECT ${flyway:defaultSchema}.scope_facilities() || ${flyway:defaultSchema}.scope_care_teams()
$$;

-- The groups of one patient now: facilities, then care teams, as one sorted array without repeats.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.patient_groups(tenant uuid, patient uuid) RETURNS uuid[]
  LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$
  SELECT coalesce(array_agg(g ORDER BY g), '{}') FROM (
    SELECT f.facility_id AS g FROM ${flyway:defaultSchema}.patient_facility f
     WHERE f.tenant_id = tenant AND f.patient_id = patient
    UNION
    SELECT c.care_team_id FROM ${flyway:defaultSchema}.care_team_patient c
     WHERE c.tenant_id = tenant AND c.patient_id = patient) groups
$$;

CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.patient_groups_at_insert() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  NEW.group_ids := ${flyway:defaultSchema}.patient_groups(NEW.tenant_id, NEW.id);
  RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS patient_groups_at_insert ON ${flyway:defaultSchema}.patient;
CREATE TRIGGER patient_groups_at_insert BEFORE INSERT ON ${flyway:defaultSchema}.patient
  FOR EACH ROW EXECUTE FUNCTION ${flyway:defaultSchema}.patient_groups_at_insert();

-- One patient's groups made again, on its row and its name words (as the writer, its tenant lent).
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.regroup_patient(tenant uuid, patient uuid) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  groups uuid[];
BEGIN
  PERFORM set_config('app.tenant_id', tenant::text, true);
  groups := ${flyway:defaultSchema}.patient_groups(tenant, patient);
  UPDATE ${flyway:defaultSchema}.patient p SET group_ids = groups
   WHERE p.tenant_id = tenant AND p.id = patient AND p.group_ids IS DISTINCT FROM groups;
  UPDATE ${flyway:defaultSchema}.patient_name_word w SET group_ids = groups
   WHERE w.tenant_id = tenant AND w.patient_id = patient AND w.group_ids IS DISTINCT FROM groups;
END $$;

-- After a row of patient_facility or care_team_patient comes, goes or changes: the patient's (or both patients')
-- group_ids made again from the membership tables. The writer's tenant scope (app.tenant_id) stays; a writer scoped
-- to no tenant or another (a test's setup, the owner) is lent the row's tenant for the statement, as org_changed
-- (region V38) does.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.patient_group_moved() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  sees_all text := current_setting('app.sees_all', true);
  scoped text := current_setting('app.tenant_id', true);
BEGIN
  PERFORM set_config('app.sees_all', 'on', true);
  IF TG_OP <> 'INSERT' THEN
    PERFORM ${flyway:defaultSchema}.regroup_patient(OLD.tenant_id, OLD.patient_id);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (NEW.tenant_id, NEW.patient_id) IS DISTINCT FROM (OLD.tenant_id,
                                                                                     OLD.patient_id)) THEN
    PERFORM ${flyway:defaultSchema}.regroup_patient(NEW.tenant_id, NEW.patient_id);
  END IF;
  PERFORM set_config('app.tenant_id', coalesce(scoped, ''), true),
          set_config('app.sees_all', coalesce(sees_all, ''), true);
  RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['patient_facility', 'care_team_patient'] LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS patient_group_moved ON ${flyway:defaultSchema}.%I', t);
    EXECUTE format('CREATE TRIGGER patient_group_moved AFTER INSERT OR UPDATE OR DELETE'
      || ' ON ${flyway:defaultSchema}.%I FOR EACH ROW'
      || ' EXECUTE FUNCTION ${flyway:defaultSchema}.patient_group_moved()', t);
  END LOOP;
END $$;

-- The name words carry their patient's groups: written with the words (V14's trigger, remade here), changed with
-- the patient's (regroup_patient), read by the search's index-only walk from the words' key.
ALTER TABLE ${flyway:defaultSchema}.patient_name_word ADD COLUMN IF NOT EXISTS group_ids uuid[] NOT NULL DEFAULT '{}';
GRANT UPDATE (group_ids) ON ${flyway:defaultSchema}.patient_name_word TO ${app_role};
ALTER TABLE ${flyway:defaultSchema}.patient_name_word DROP CONSTRAINT IF EXISTS patient_name_word_pkey,
  ADD CONSTRAINT patient_name_word_pkey PRIMARY KEY (tenant_id, word, patient_id) INCLUDE (group_ids);

CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.keep_patient_name_words() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM ${flyway:defaultSchema}.patient_name_word WHERE tenant_id = OLD.tenant_id AND patient_id = OLD.id;
  END IF;
  IF NEW.deleted_at IS NULL THEN
    INSERT INTO ${flyway:defaultSchema}.patient_name_word (tenant_id, word, patient_id, group_ids)
    SELECT NEW.tenant_id, w, NEW.id, NEW.group_ids
      FROM ${flyway:defaultSchema}.patient_name_words(NEW.family_name, NEW.given_name) w;
  END IF;
  RETURN NULL;
END $$;

-- A change of group_ids alone is no new version of the patient (V27's trigger would record the row as found).
DROP TRIGGER IF EXISTS patient_version_on_update ON ${flyway:defaultSchema}.patient;
CREATE TRIGGER patient_version_on_update AFTER UPDATE ON ${flyway:defaultSchema}.patient
  FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version OR OLD.group_ids IS NOT DISTINCT FROM NEW.group_ids)
  EXECUTE FUNCTION ${flyway:defaultSchema}.keep_patient_version();

-- The keyset index of listings (V13) with group_ids, so the policy's overlap is read from the index.
DROP INDEX IF EXISTS ${flyway:defaultSchema}.patient_by_family;
CREATE INDEX patient_by_family ON ${flyway:defaultSchema}.patient (tenant_id, lower(family_name), id)
  INCLUDE (family_name, search_text, group_ids) WHERE deleted_at IS NULL;

-- The patients there are now. Row-level security is forced on the owner too, so it is lifted for the backfill and
-- forced again (as V14 does); the version trigger above writes nothing for it.
ALTER TABLE ${flyway:defaultSchema}.patient NO FORCE ROW LEVEL SECURITY;
ALTER TABLE ${flyway:defaultSchema}.patient_facility NO FORCE ROW LEVEL SECURITY;
ALTER TABLE ${flyway:defaultSchema}.care_team_patient NO FORCE ROW LEVEL SECURITY;
UPDATE ${flyway:defaultSchema}.patient p SET group_ids = m.groups
  FROM (SELECT tenant_id, patient_id, array_agg(g ORDER BY g) AS groups FROM (
          SELECT tenant_id, patient_id, facility_id AS g FROM ${flyway:defaultSchema}.patient_facility
          UNION
          SELECT tenant_id, patient_id, care_team_id FROM ${flyway:defaultSchema}.care_team_patient) each_group
         GROUP BY tenant_id, patient_id) m
 WHERE p.tenant_id = m.tenant_id AND p.id = m.patient_id AND p.group_ids IS DISTINCT FROM m.groups;
ALTER TABLE ${flyway:defaultSchema}.patient_name_word NO FORCE ROW LEVEL SECURITY;
UPDATE ${flyway:defaultSchema}.patient_name_word w SET group_ids = p.group_ids
  FROM ${flyway:defaultSchema}.patient p
 WHERE p.tenant_id = w.tenant_id AND p.id = w.patient_id AND p.group_ids <> '{}' AND w.group_ids <> p.group_ids;
ALTER TABLE ${flyway:defaultSchema}.patient_name_word FORCE ROW LEVEL SECURITY;
ALTER TABLE ${flyway:defaultSchema}.patient FORCE ROW LEVEL SECURITY;
ALTER TABLE ${flyway:defaultSchema}.patient_facility FORCE ROW LEVEL SECURITY;
ALTER TABLE ${flyway:defaultSchema}.care_team_patient FORCE ROW LEVEL SECURITY;
