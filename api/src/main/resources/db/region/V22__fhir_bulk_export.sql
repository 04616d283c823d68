-- FHIR Bulk Data export (issue 14): each $export kick-off is a job, run in the background as the actor who asked
-- (their TenantContext is kept in the row, so another node can take the job over after a restart), and its NDJSON
-- files, kept here until they expire. Names are qualified and every statement may run again (V12).

CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.bulk_export_job (
  tenant_id        uuid NOT NULL,
  id               uuid NOT NULL,
  -- Who asked: only they may poll, cancel and download.
  owner_id         uuid NOT NULL,
  -- system, patient or group, and the group's id for a group export.
  level            text NOT NULL CHECK (level IN ('system', 'patient', 'group')),
  group_id         uuid,
  -- The requested types (empty: every exportable type) and _since.
  types            text[] NOT NULL,
  since            timestamptz,
  request_url      text NOT NULL,
  -- The requester's roles, permissions, patient, tier and request id: the job's authority, as at the kick-off.
  actor            jsonb NOT NULL,
  state            text NOT NULL CHECK (state IN ('running', 'completed')),
  progress         text NOT NULL DEFAULT 'queued',
  -- Each take-over by another run raises it; a run whose attempt is no longer current stops.
  attempt          integer NOT NULL DEFAULT 1,
  transaction_time timestamptz NOT NULL DEFAULT now(),
  heartbeat_at     timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz,
  expires_at       timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS bulk_export_job_due ON ${flyway:defaultSchema}.bulk_export_job
  (tenant_id, expires_at, heartbeat_at) WHERE expires_at IS NOT NULL OR state = 'running';

-- One NDJSON file of a job: one resource type's lines (a type is split across files past a size), or the job's
-- OperationOutcome errors. patient_ids names the patients whose data it holds when they are few enough to list.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.bulk_export_file (
  tenant_id     uuid NOT NULL,
  id            uuid NOT NULL,
  job_id        uuid NOT NULL,
  resource_type text NOT NULL,
  is_error      boolean NOT NULL DEFAULT false,
  seq           integer NOT NULL,
  line_count    integer NOT NULL,
  content       text NOT NULL,
  patient_ids   uuid[],
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT bulk_export_file_job_fk FOREIGN KEY (tenant_id, job_id)
    REFERENCES ${flyway:defaultSchema}.bulk_export_job (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS bulk_export_file_by_job ON ${flyway:defaultSchema}.bulk_export_file (tenant_id, job_id, seq);

DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.bulk_export_job;
DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.bulk_export_file;
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.bulk_export_job');
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.bulk_export_file');
GRANT SELECT, INSERT, UPDATE, DELETE ON ${flyway:defaultSchema}.bulk_export_job,
  ${flyway:defaultSchema}.bulk_export_file TO ${app_role};

-- The tenants with expired exports to delete or runs that stopped beating (a node that died), for the sweep.
SELECT ${flyway:defaultSchema}.grant_scanner_reads('${flyway:defaultSchema}.bulk_export_job', '${scanner_role}');
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.bulk_export_due_tenants(at timestamptz, stale_before timestamptz)
  RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
  SELECT DISTINCT tenant_id FROM bulk_export_job
  WHERE expires_at <= at OR (state = 'running' AND heartbeat_at < stale_before)
$$;
SELECT ${flyway:defaultSchema}.hand_to_scanner(
  '${flyway:defaultSchema}.bulk_export_due_tenants(timestamptz, timestamptz)', '${scanner_role}', '${app_role}');
