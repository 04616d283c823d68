-- FHIR vread and history (issue 14): every version a patient, an appointment or an encounter (whose version the
-- vital-sign Observations carry) had before its current one. One place no write path can forget: triggers copy the
-- row as it was when an UPDATE moves its version on, whoever writes it (/v1 and FHIR alike). The current
-- version stays where it is, in the row itself, so nothing needs a backfill and a tenant's move (TenantRows, which
-- inserts rows and never updates them) copies these tables like any other without colliding with a trigger's rows.
-- A snapshot is the whole row as jsonb (to_jsonb), read back through jsonb_populate_record(NULL::<table>, ...), so a
-- column added to the table later is kept and read with no change here; sealed columns are copied as the
-- ciphertext they are (bytea), so they stay sealed under the tenant's key and shredding the key shreds them too.
-- The triggers run as the caller (no SECURITY DEFINER): the app role writes with its tenant (and a patient acting
-- for themself with their own id) set, so the copies pass the same forced policies as the rows they copy. A future
-- migration that updates these tables as the owner lifts FORCE on the version table too, as V14 did.
-- Names are qualified and every statement may run again (see V12).

CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.patient_version (
  tenant_id  uuid NOT NULL,
  patient_id uuid NOT NULL,
  version    integer NOT NULL,
  -- When this version was written (the row's updated_at then): _since and Last-Modified.
  updated_at timestamptz NOT NULL,
  snapshot   jsonb NOT NULL,
  PRIMARY KEY (tenant_id, patient_id, version),
  CONSTRAINT patient_version_patient_fk FOREIGN KEY (tenant_id, patient_id)
    REFERENCES ${flyway:defaultSchema}.patient (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.appointment_version (
  tenant_id      uuid NOT NULL,
  appointment_id uuid NOT NULL,
  version        integer NOT NULL,
  patient_id     uuid NOT NULL,
  updated_at     timestamptz NOT NULL,
  snapshot       jsonb NOT NULL,
  PRIMARY KEY (tenant_id, appointment_id, version),
  CONSTRAINT appointment_version_appointment_fk FOREIGN KEY (tenant_id, appointment_id)
    REFERENCES ${flyway:defaultSchema}.appointment (tenant_id, id) ON DELETE CASCADE
);

-- A vital sign changes as part of its encounter, under the encounter's version: the encounter's versions give each
-- version's status (a signed encounter's vitals are final) and time.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.encounter_version (
  tenant_id    uuid NOT NULL,
  encounter_id uuid NOT NULL,
  version      integer NOT NULL,
  patient_id   uuid NOT NULL,
  updated_at   timestamptz NOT NULL,
  snapshot     jsonb NOT NULL,
  PRIMARY KEY (tenant_id, encounter_id, version),
  CONSTRAINT encounter_version_encounter_fk FOREIGN KEY (tenant_id, encounter_id)
    REFERENCES ${flyway:defaultSchema}.encounter (tenant_id, id) ON DELETE CASCADE
);

-- A vital-sign row as it was up to encounter_version, copied when a correction changes it or a removal deletes it
-- (removed). A change runs before the encounter's version moves on (EncounterService.change), so the encounter's
-- version read in the trigger is the last one the old values belong to.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.observation_version (
  tenant_id         uuid NOT NULL,
  observation_id    uuid NOT NULL,
  encounter_version integer NOT NULL,
  encounter_id      uuid NOT NULL,
  patient_id        uuid NOT NULL,
  removed           boolean NOT NULL,
  snapshot          jsonb NOT NULL,
  PRIMARY KEY (tenant_id, observation_id, encounter_version),
  CONSTRAINT observation_version_encounter_fk FOREIGN KEY (tenant_id, encounter_id)
    REFERENCES ${flyway:defaultSchema}.encounter (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS observation_version_by_encounter
  ON ${flyway:defaultSchema}.observation_version (tenant_id, encounter_id, encounter_version);

-- The row as this transaction first found it, for the copy of its version. A change may update the row before the
-- statement that moves its version on (EncounterService.change writes the notes or signs, then TOUCH moves the
-- version): the copy must be the version as it was, not half of the next one. The first sight of a row is kept in a
-- transaction-local setting until its version moves on (then the next version starts from the new row); nothing
-- outlives the transaction.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.version_as_found(kind text, id uuid, old jsonb, moved boolean)
  RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  name text := 'caduceus_versions.' || kind || '_' || replace(id::text, '-', '');
  seen text := current_setting(name, true);
  found jsonb := CASE WHEN seen IS NULL OR seen = '' THEN old ELSE seen::jsonb END;
BEGIN
  PERFORM set_config(name, CASE WHEN moved THEN '' ELSE found::text END, true);
  RETURN found;
END $$;

-- ON CONFLICT: a version is copied once.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.keep_patient_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved boolean := OLD.version IS DISTINCT FROM NEW.version;
  found jsonb := ${flyway:defaultSchema}.version_as_found('patient', OLD.id, to_jsonb(OLD), moved);
BEGIN
  IF moved THEN
    INSERT INTO ${flyway:defaultSchema}.patient_version (tenant_id, patient_id, version, updated_at, snapshot)
    VALUES (OLD.tenant_id, OLD.id, OLD.version, (found->>'updated_at')::timestamptz, found)
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.keep_appointment_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved boolean := OLD.version IS DISTINCT FROM NEW.version;
  found jsonb := ${flyway:defaultSchema}.version_as_found('appointment', OLD.id, to_jsonb(OLD), moved);
BEGIN
  IF moved THEN
    INSERT INTO ${flyway:defaultSchema}.appointment_version
      (tenant_id, appointment_id, version, patient_id, updated_at, snapshot)
    VALUES (OLD.tenant_id, OLD.id, OLD.version, OLD.patient_id, (found->>'updated_at')::timestamptz, found)
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.keep_encounter_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved boolean := OLD.version IS DISTINCT FROM NEW.version;
  found jsonb := ${flyway:defaultSchema}.version_as_found('encounter', OLD.id, to_jsonb(OLD), moved);
BEGIN
  IF moved THEN
    INSERT INTO ${flyway:defaultSchema}.encounter_version
      (tenant_id, encounter_id, version, patient_id, updated_at, snapshot)
    VALUES (OLD.tenant_id, OLD.id, OLD.version, OLD.patient_id, (found->>'updated_at')::timestamptz, found)
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.keep_observation_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ${flyway:defaultSchema}.observation_version
    (tenant_id, observation_id, encounter_version, encounter_id, patient_id, removed, snapshot)
  SELECT OLD.tenant_id, OLD.id, e.version, OLD.encounter_id, OLD.patient_id, TG_OP = 'DELETE', to_jsonb(OLD)
  FROM ${flyway:defaultSchema}.encounter e
  WHERE e.tenant_id = OLD.tenant_id AND e.id = OLD.encounter_id
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS patient_version_on_update ON ${flyway:defaultSchema}.patient;
CREATE TRIGGER patient_version_on_update AFTER UPDATE ON ${flyway:defaultSchema}.patient
  FOR EACH ROW EXECUTE FUNCTION ${flyway:defaultSchema}.keep_patient_version();
DROP TRIGGER IF EXISTS appointment_version_on_update ON ${flyway:defaultSchema}.appointment;
CREATE TRIGGER appointment_version_on_update AFTER UPDATE ON ${flyway:defaultSchema}.appointment
  FOR EACH ROW EXECUTE FUNCTION ${flyway:defaultSchema}.keep_appointment_version();
DROP TRIGGER IF EXISTS encounter_version_on_update ON ${flyway:defaultSchema}.encounter;
CREATE TRIGGER encounter_version_on_update AFTER UPDATE ON ${flyway:defaultSchema}.encounter
  FOR EACH ROW EXECUTE FUNCTION ${flyway:defaultSchema}.keep_encounter_version();
DROP TRIGGER IF EXISTS observation_version_on_change ON ${flyway:defaultSchema}.observation;
CREATE TRIGGER observation_version_on_change AFTER UPDATE OR DELETE ON ${flyway:defaultSchema}.observation
  FOR EACH ROW EXECUTE FUNCTION ${flyway:defaultSchema}.keep_observation_version();

DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.patient_version;
DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.appointment_version;
DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.encounter_version;
DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.observation_version;
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.patient_version', 'patient_id');
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.appointment_version', 'patient_id');
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.encounter_version', 'patient_id');
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.observation_version', 'patient_id');
-- History is appended, never rewritten: the app role may add versions (through the triggers) and read them.
GRANT SELECT, INSERT ON ${flyway:defaultSchema}.patient_version, ${flyway:defaultSchema}.appointment_version,
  ${flyway:defaultSchema}.encounter_version, ${flyway:defaultSchema}.observation_version TO ${app_role};
