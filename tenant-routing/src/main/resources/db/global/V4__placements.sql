-- Where a tenant's rows live within its region, beyond the tier itself: how far its own schema or database has
-- been migrated, why the last attempt failed, and whether a tier move is under way.
--
-- move_state: 'paused' while a move copies the tenant (its writes are refused, its reads go on), 'switched' once
-- the tenant reads and writes in its new place but the old copy has not been cleaned yet. NULL otherwise.
ALTER TABLE tenant ADD COLUMN move_state text CHECK (move_state IN ('paused', 'switched'));
-- The migration fingerprint the tenant's own schema or database is at (NULL for the shared tier, or not yet).
ALTER TABLE tenant ADD COLUMN place_version text;
-- Why the tenant's schema or database could not be migrated, for the operator (no SQL text, no data).
ALTER TABLE tenant ADD COLUMN place_failure text;
-- Every node reads the tenants placed outside the shared tables once a second; keep that read small.
CREATE INDEX tenant_placed ON tenant (data_region) WHERE isolation_tier <> 'shared' OR move_state IS NOT NULL;

-- Tier moves, as jobs with progress. One running move per tenant.
CREATE TABLE tenant_move (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenant (id),
  from_tier   text NOT NULL,
  to_tier     text NOT NULL,
  state       text NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
  step        text NOT NULL,
  progress    jsonb NOT NULL DEFAULT '{}'::jsonb,
  failure     text,
  node        text NOT NULL,
  heartbeat   timestamptz NOT NULL DEFAULT now(),
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE UNIQUE INDEX tenant_move_running ON tenant_move (tenant_id) WHERE state = 'running';
CREATE INDEX tenant_move_of ON tenant_move (tenant_id, started_at DESC);
GRANT SELECT, INSERT, UPDATE ON tenant_move TO ${app_role};
