-- Hierarchical roles (issue 15): base roles (the membership's roles) -> tenant roles a tenant admin defines ->
-- per-member grants of one permission, optionally scoped to a facility or a care team and with an expiry. Control
-- plane only, no PHI: permissions are catalogue keys, a scope is the opaque id of a group in the tenant's region.

-- A tenant's own role: a set of catalogue permissions, optionally based on a base role (whose permissions it then
-- holds too). The patient sections its members see are the role's patient.*.read permissions, not a second list,
-- so the projection cannot contradict them. version is the ETag.
CREATE TABLE IF NOT EXISTS tenant_role (
  tenant_id   uuid NOT NULL REFERENCES tenant (id),
  id          uuid NOT NULL,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
  based_on    text CHECK (based_on NOT IN ('platform_owner', 'patient')),
  permissions text[] NOT NULL,
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (NOT permissions && ARRAY['platform.tenants.manage', 'portal'])
);
CREATE UNIQUE INDEX IF NOT EXISTS tenant_role_name ON tenant_role (tenant_id, lower(name));

-- Which members hold which tenant roles (alongside the base roles of their membership).
CREATE TABLE IF NOT EXISTS member_tenant_role (
  tenant_id  uuid NOT NULL,
  user_id    uuid NOT NULL,
  role_id    uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, role_id),
  FOREIGN KEY (user_id, tenant_id) REFERENCES membership (user_id, tenant_id),
  FOREIGN KEY (tenant_id, role_id) REFERENCES tenant_role (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS member_tenant_role_by_role ON member_tenant_role (tenant_id, role_id);

-- One extra permission for one member. In force while not revoked, not expired (compared with the clock when a
-- request resolves it: no job has to run) and, when scoped, while its group is among the request's groups in force.
CREATE TABLE IF NOT EXISTS member_grant (
  tenant_id   uuid NOT NULL,
  id          uuid NOT NULL,
  user_id     uuid NOT NULL,
  permission  text NOT NULL CHECK (permission NOT IN ('platform.tenants.manage', 'portal')),
  scope_kind  text CHECK (scope_kind IN ('facility', 'care_team')),
  scope_id    uuid,
  expires_at  timestamptz,
  granted_by  uuid NOT NULL,
  granted_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz,
  revoked_by  uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (user_id, tenant_id) REFERENCES membership (user_id, tenant_id),
  CHECK ((scope_kind IS NULL) = (scope_id IS NULL))
);
CREATE INDEX IF NOT EXISTS member_grant_by_user ON member_grant (tenant_id, user_id, granted_at);

-- The tenant's access version, bumped in the same transaction as any change to its roles, assignments or grants.
-- Every request compares it (from the revocation flags in Redis, or from here while those cannot be trusted) with
-- the version its cached member access was read at, so a change bites on the next request on every node.
CREATE TABLE IF NOT EXISTS tenant_access (
  tenant_id  uuid PRIMARY KEY REFERENCES tenant (id),
  version    bigint NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS tenant_access_changed ON tenant_access (changed_at);

-- Before and after of every change to a tenant's roles and grants, written in the change's own transaction (the
-- request's audit event in the region names the same action and object; this holds what changed).
CREATE TABLE IF NOT EXISTS access_change (
  tenant_id     uuid NOT NULL,
  id            uuid NOT NULL,
  at            timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid NOT NULL,
  action        text NOT NULL,
  object_type   text NOT NULL,
  object_id     uuid NOT NULL,
  before        jsonb,
  after         jsonb,
  request_id    text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS access_change_object ON access_change (tenant_id, object_id, at);

GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_role, member_tenant_role TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON member_grant, tenant_access TO ${app_role};
GRANT SELECT, INSERT ON access_change TO ${app_role};

-- A member removed from a tenant (by its admin, SCIM or SSO) leaves their tenant roles and grants behind: a later
-- invitation starts from the base roles it names, never from what they held before. Their sessions end with the
-- removal; the version bump reaches Redis with the next sync pass.
CREATE OR REPLACE FUNCTION membership_removed_drops_access() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM member_tenant_role WHERE tenant_id = NEW.tenant_id AND user_id = NEW.user_id;
  UPDATE member_grant SET revoked_at = now()
    WHERE tenant_id = NEW.tenant_id AND user_id = NEW.user_id AND revoked_at IS NULL;
  INSERT INTO tenant_access (tenant_id, version, changed_at) VALUES (NEW.tenant_id, 1, now())
    ON CONFLICT (tenant_id) DO UPDATE SET version = tenant_access.version + 1, changed_at = now();
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS membership_removed_drops_access ON membership;
CREATE TRIGGER membership_removed_drops_access AFTER UPDATE OF status ON membership
  FOR EACH ROW WHEN (OLD.status = 'active' AND NEW.status <> 'active')
  EXECUTE FUNCTION membership_removed_drops_access();
