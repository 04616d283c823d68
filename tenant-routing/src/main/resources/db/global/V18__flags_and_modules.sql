-- Feature flags and modules (issue 16). The control plane is their truth; every node keeps an in-memory snapshot,
-- refreshed when a writer's pg_notify('caduceus_flags' | 'caduceus_modules', ...) arrives and re-read in full
-- whenever its listening connection (re)subscribes. No PHI: flag keys, variants, scopes and ids only.

-- A flag: its variants (name -> JSON value), the variant served when no rule matches, who owns it and when it must
-- be retired. kill_variant, when set, is served to everyone whatever the rules say (the incident switch).
-- uniform_since is when every evaluation context began to get the same variant (a rollout at 100 % everywhere),
-- null while they differ: the stale report counts 30 days from it.
CREATE TABLE IF NOT EXISTS feature_flag (
  key              text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_.-]{1,99}$'),
  kind             text NOT NULL CHECK (kind IN ('boolean', 'string', 'number', 'object')),
  variants         jsonb NOT NULL CHECK (jsonb_typeof(variants) = 'object'),
  default_variant  text NOT NULL,
  owner            text NOT NULL CHECK (length(owner) BETWEEN 1 AND 200),
  description      text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
  expires_on       date NOT NULL,
  tenant_editable  boolean NOT NULL DEFAULT false,
  kill_variant     text,
  killed_at        timestamptz,
  uniform_since    timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  version          integer NOT NULL DEFAULT 1
);

-- A rule serves a variant to the contexts of one scope (global, a region, a tenant kind, a tenant, a user of a
-- tenant), optionally only to holders of one role, optionally to a percentage of them (by a stable hash of the flag
-- key and the targeting key); the rest of a rollout's contexts get the flag's default variant.
-- scope_value: '' (global), region code, tenant kind, tenant id or user id. tenant_id: the tenant a tenant or user
-- rule belongs to (its admin may edit those of a tenant-editable flag).
CREATE TABLE IF NOT EXISTS feature_flag_rule (
  id           uuid PRIMARY KEY,
  flag_key     text NOT NULL REFERENCES feature_flag (key) ON DELETE CASCADE,
  scope        text NOT NULL CHECK (scope IN ('global', 'region', 'tenant_kind', 'tenant', 'user')),
  scope_value  text NOT NULL DEFAULT '',
  tenant_id    uuid REFERENCES tenant (id),
  role         text NOT NULL DEFAULT '' CHECK (role ~ '^[a-z_]{0,40}$'),
  variant      text NOT NULL,
  percentage   numeric(5, 2) CHECK (percentage BETWEEN 0 AND 100),
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK ((scope IN ('tenant', 'user')) = (tenant_id IS NOT NULL))
);
CREATE UNIQUE INDEX IF NOT EXISTS feature_flag_rule_unique ON feature_flag_rule
  (flag_key, scope, scope_value, coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), role);
CREATE INDEX IF NOT EXISTS feature_flag_rule_tenant ON feature_flag_rule (tenant_id, flag_key);

-- The modules a tenant may use (allowed: its plan, the platform owner's) and has switched on (enabled: its admin's).
-- No row means allowed and on: every tenant that existed before modules keeps everything.
CREATE TABLE IF NOT EXISTS tenant_module (
  tenant_id   uuid NOT NULL REFERENCES tenant (id),
  module      text NOT NULL CHECK (module IN ('e_prescribing', 'lab_orders', 'billing', 'crm_campaigns', 'surveys',
                                              'secure_messages', 'telehealth', 'analytics')),
  allowed     boolean NOT NULL DEFAULT true,
  enabled     boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, module)
);

-- Every change to a flag, a rule, a kill switch, a plan or a module switch: who, when, what before and after.
-- Append-only for the app role. subject is 'flag:<key>' or 'modules:<tenant id>'.
CREATE TABLE IF NOT EXISTS feature_change (
  id           uuid PRIMARY KEY,
  subject      text NOT NULL,
  action       text NOT NULL,
  actor_user   uuid NOT NULL,
  actor_tenant uuid NOT NULL,
  before       jsonb,
  after        jsonb,
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS feature_change_subject ON feature_change (subject, at, id);

GRANT SELECT, INSERT, UPDATE, DELETE ON feature_flag, feature_flag_rule, tenant_module TO ${app_role};
GRANT SELECT, INSERT ON feature_change TO ${app_role};
