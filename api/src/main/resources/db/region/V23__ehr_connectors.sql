-- EHR connectors (issue 14, fhir-connect): a tenant's legacy EHR's FHIR R4 server that the tenant imports from.
-- Credentials are sealed under the tenant's own key (never in the control plane, never in the clear). Every
-- imported row records where it came from (connector, remote type, id, versionId, lastUpdated) so a rerun is
-- idempotent. Names are qualified and every statement may run again (V12).

CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.ehr_connector (
  tenant_id     uuid NOT NULL,
  id            uuid NOT NULL,
  name          text NOT NULL,
  base_url      text NOT NULL,
  auth_type     text NOT NULL CHECK (auth_type IN ('oauth2', 'basic')),
  -- What of the auth is not secret: the token URL, client id and scope (oauth2), or the user name (basic).
  auth          jsonb NOT NULL,
  -- The client secret or the password, sealed under the tenant's key, bound to the connector's id.
  secret_sealed bytea NOT NULL,
  -- The newest remote lastUpdated imported by a job that ended without a transport failure.
  checkpoint    timestamptz,
  version       integer NOT NULL DEFAULT 1,
  created_by    uuid NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS ehr_connector_by_created ON ${flyway:defaultSchema}.ehr_connector
  (tenant_id, created_at, id);

CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.ehr_import_job (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL,
  connector_id uuid NOT NULL,
  status       text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
  full_sync    boolean NOT NULL DEFAULT false,
  since        timestamptz,
  -- Per resource type: created, updated, unchanged, failed.
  counts       jsonb NOT NULL DEFAULT '{}',
  -- Per failed resource: its type, remote id and a reason (never a value of the record).
  errors       jsonb NOT NULL DEFAULT '[]',
  failure      text,
  started_by   uuid NOT NULL,
  started_at   timestamptz NOT NULL DEFAULT now(),
  -- Moved on by the running job after every page; a job whose heartbeat stopped was interrupted (a restart).
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT ehr_import_job_connector_fk FOREIGN KEY (tenant_id, connector_id)
    REFERENCES ${flyway:defaultSchema}.ehr_connector (tenant_id, id) ON DELETE CASCADE
);
-- One running job per connector.
CREATE UNIQUE INDEX IF NOT EXISTS ehr_import_job_one_running ON ${flyway:defaultSchema}.ehr_import_job
  (tenant_id, connector_id) WHERE status = 'running';

-- Provenance of every imported row, and the imported Conditions, Observations and MedicationRequests themselves:
-- diagnosis and observation rows need an encounter and a recording user, and prescription rows an exchange link
-- and a prescriber, none of which a remote record carries, so those are held here (resource) as received, with
-- their subject pointing at our patient. A Patient's row points at the patient created through PatientService.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.ehr_import_record (
  tenant_id     uuid NOT NULL,
  connector_id  uuid NOT NULL,
  resource_type text NOT NULL CHECK (resource_type IN ('Patient', 'Condition', 'Observation',
                                                       'MedicationRequest')),
  remote_id     text NOT NULL,
  version_id    text,
  last_updated  timestamptz,
  id            uuid NOT NULL,
  patient_id    uuid NOT NULL,
  resource      jsonb,
  imported_at   timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, connector_id, resource_type, remote_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS ehr_import_record_id ON ${flyway:defaultSchema}.ehr_import_record (tenant_id, id);
CREATE INDEX IF NOT EXISTS ehr_import_record_by_patient ON ${flyway:defaultSchema}.ehr_import_record
  (tenant_id, patient_id, resource_type, imported_at, id);

-- A patient's identifiers in other systems (system + a keyed hash of the value), matched on import.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.patient_external_identifier (
  tenant_id   uuid NOT NULL,
  system      text NOT NULL,
  value_index bytea NOT NULL,
  patient_id  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, system, value_index)
);
CREATE INDEX IF NOT EXISTS patient_external_identifier_by_patient
  ON ${flyway:defaultSchema}.patient_external_identifier (tenant_id, patient_id);

DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.ehr_connector;
DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.ehr_import_job;
DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.ehr_import_record;
DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.patient_external_identifier;
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.ehr_connector');
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.ehr_import_job');
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.ehr_import_record', 'patient_id');
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.patient_external_identifier',
  'patient_id');
GRANT SELECT, INSERT, UPDATE, DELETE ON ${flyway:defaultSchema}.ehr_connector TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON ${flyway:defaultSchema}.ehr_import_job TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON ${flyway:defaultSchema}.ehr_import_record TO ${app_role};
GRANT SELECT, INSERT ON ${flyway:defaultSchema}.patient_external_identifier TO ${app_role};
