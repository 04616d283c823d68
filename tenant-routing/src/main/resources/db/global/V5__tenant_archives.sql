-- Per-tenant backup, restore and offboarding.
--
-- An offboarded tenant has been exported, its rows deleted and its data key destroyed. It stays in the catalog (its
-- id is referenced by audit trails of partners and by the archive), but nothing of its data remains anywhere.
ALTER TABLE tenant DROP CONSTRAINT tenant_status_check;
ALTER TABLE tenant ADD CONSTRAINT tenant_status_check
  CHECK (status IN ('pending', 'active', 'suspended', 'offboarded'));

-- A tenant's data region is fixed while it has data there. An offboarded tenant has none, so restoring its archive
-- may place it in another region.
CREATE OR REPLACE FUNCTION tenant_region_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.data_region IS DISTINCT FROM OLD.data_region AND OLD.status <> 'offboarded' THEN
    RAISE EXCEPTION 'data_region of a tenant cannot change' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

-- Exports, imports and offboardings, as background jobs with progress.
CREATE TABLE tenant_job (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenant (id),
  kind        text NOT NULL CHECK (kind IN ('export', 'import', 'offboard')),
  state       text NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
  step        text NOT NULL,
  progress    jsonb NOT NULL DEFAULT '{}'::jsonb,
  archive     text,
  sha256      text,
  failure     text,
  requested_by uuid NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX tenant_job_of ON tenant_job (tenant_id, started_at DESC);
CREATE UNIQUE INDEX tenant_job_running ON tenant_job (tenant_id) WHERE state = 'running' AND kind <> 'export';
GRANT SELECT, INSERT, UPDATE ON tenant_job TO ${app_role};
