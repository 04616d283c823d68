-- Request quota overrides: per tenant (subject 'tenant') and per user within a tenant (subject = the user id).
-- Tenants and users without a row get the platform's defaults.
CREATE TABLE tenant_quota (
  tenant_id   uuid NOT NULL REFERENCES tenant (id),
  subject     text NOT NULL,
  per_second  double precision NOT NULL CHECK (per_second > 0 AND per_second <= 100000),
  burst       integer NOT NULL CHECK (burst BETWEEN 1 AND 1000000),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, subject)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_quota TO ${app_role};
