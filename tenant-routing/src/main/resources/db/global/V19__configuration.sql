-- Hierarchical configuration (issue 16): typed namespaces (each validated by a JSON Schema in api
-- resources/config/namespaces) set at five levels, most specific wins key by key: global → region → tenant →
-- facility → user. Control plane only, no PHI: a facility or a user appears as its opaque id.
--
-- One row per namespace and level scope holds the keys set there (keys not set inherit); every change is a new
-- version, kept for ever with who made it, when, and the keys it changed, so any version can be read and restored.
-- The scope id is '' for global, the region code, the tenant id, or '<tenant id>/<facility or user id>'.

CREATE TABLE IF NOT EXISTS config_entry (
  namespace  text NOT NULL CHECK (namespace ~ '^[a-z][a-z0-9-]{1,31}$'),
  level      text NOT NULL CHECK (level IN ('global', 'region', 'tenant', 'facility', 'user')),
  scope_id   text NOT NULL,
  tenant_id  uuid REFERENCES tenant (id),
  settings   jsonb NOT NULL,
  version    integer NOT NULL CHECK (version >= 1),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid,
  PRIMARY KEY (namespace, level, scope_id),
  CHECK ((level IN ('global', 'region')) = (tenant_id IS NULL))
);
CREATE INDEX IF NOT EXISTS config_entry_tenant ON config_entry (tenant_id, namespace) WHERE tenant_id IS NOT NULL;

-- Append-only: the app role may add and read versions, never change or delete one.
CREATE TABLE IF NOT EXISTS config_version (
  namespace     text NOT NULL,
  level         text NOT NULL,
  scope_id      text NOT NULL,
  version       integer NOT NULL,
  tenant_id     uuid REFERENCES tenant (id),
  settings      jsonb NOT NULL,
  -- [{"key", "before", "after"}]: the keys this version changed (absent before or after: not set there).
  diff          jsonb NOT NULL,
  changed_by    uuid,
  changed_at    timestamptz NOT NULL DEFAULT now(),
  restored_from integer,
  PRIMARY KEY (namespace, level, scope_id, version)
);

GRANT SELECT, INSERT, UPDATE ON config_entry TO ${app_role};
GRANT SELECT, INSERT ON config_version TO ${app_role};

-- The settings that were tenant columns and a table of their own move here, with their data. The tenant's locale,
-- time zone and branding become the tenant level of "general" (the tenant columns stay, kept equal to the effective
-- values by every write, for the readers of the catalog); the MFA policy becomes the tenant level of "security".
INSERT INTO config_entry (namespace, level, scope_id, tenant_id, settings, version, updated_at)
SELECT 'general', 'tenant', t.id::text, t.id,
       jsonb_build_object('locale', t.locale, 'timeZone', t.time_zone)
         || CASE WHEN t.branding = '{}'::jsonb THEN '{}'::jsonb ELSE jsonb_build_object('branding', t.branding) END,
       1, t.updated_at
FROM tenant t
ON CONFLICT (namespace, level, scope_id) DO NOTHING;

INSERT INTO config_entry (namespace, level, scope_id, tenant_id, settings, version, updated_at, updated_by)
SELECT 'security', 'tenant', p.tenant_id::text, p.tenant_id,
       jsonb_build_object('mfaRequiredFor', p.required_for, 'mfaRoles', to_jsonb(p.roles)), 1, p.updated_at,
       p.updated_by
FROM tenant_mfa_policy p
ON CONFLICT (namespace, level, scope_id) DO NOTHING;

INSERT INTO config_version (namespace, level, scope_id, version, tenant_id, settings, diff, changed_by, changed_at)
SELECT e.namespace, e.level, e.scope_id, 1, e.tenant_id, e.settings,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('key', k, 'after', v) ORDER BY k), '[]'::jsonb)
        FROM jsonb_each(e.settings) AS kv (k, v)),
       e.updated_by, e.updated_at
FROM config_entry e
WHERE e.version = 1
ON CONFLICT (namespace, level, scope_id, version) DO NOTHING;
