-- SCIM 2.0 provisioning (RFC 7643/7644): a tenant's identity provider creates, updates and removes its people and
-- groups. Control plane only, no PHI. A SCIM user is a global user (app_user) as this tenant's IdP sees it: its id is
-- the app_user's id, so one person keeps one identity across tenants. What the tenant may use is derived: the member
-- holds an active membership exactly while the SCIM user is active and its groups map to at least one role
-- (tenant_role_mapping); otherwise the membership is 'removed' and the member's sessions are ended.

-- Bearer tokens a tenant admin creates for its IdP. Only the SHA-256 of the secret is kept; the token names its tenant
-- in clear ("scim_<tenant id>_<secret>") so the region router can route it without a lookup.
CREATE TABLE scim_token (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL REFERENCES tenant (id),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash   bytea NOT NULL UNIQUE,
  created_by   uuid REFERENCES app_user (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX scim_token_tenant ON scim_token (tenant_id, created_at, id);

CREATE TABLE scim_user (
  tenant_id    uuid NOT NULL REFERENCES tenant (id),
  user_id      uuid NOT NULL REFERENCES app_user (id),
  user_name    text NOT NULL CHECK (length(user_name) BETWEEN 1 AND 254),
  external_id  text CHECK (length(external_id) BETWEEN 1 AND 256),
  active       boolean NOT NULL DEFAULT true,
  -- name, displayName, emails, title...: the core attributes the IdP sent, as sent (no PHI: staff identities).
  attributes   jsonb NOT NULL DEFAULT '{}'::jsonb,
  version      integer NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
CREATE UNIQUE INDEX scim_user_name ON scim_user (tenant_id, lower(user_name));
CREATE INDEX scim_user_external ON scim_user (tenant_id, external_id);
CREATE INDEX scim_user_listing ON scim_user (tenant_id, created_at, user_id);

CREATE TABLE scim_group (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL REFERENCES tenant (id),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 256),
  external_id  text CHECK (length(external_id) BETWEEN 1 AND 256),
  version      integer NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX scim_group_name ON scim_group (tenant_id, lower(display_name));
CREATE INDEX scim_group_listing ON scim_group (tenant_id, created_at, id);

CREATE TABLE scim_group_member (
  tenant_id  uuid NOT NULL,
  group_id   uuid NOT NULL REFERENCES scim_group (id) ON DELETE CASCADE,
  user_id    uuid NOT NULL,
  PRIMARY KEY (group_id, user_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES scim_user (tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX scim_group_member_user ON scim_group_member (tenant_id, user_id);

GRANT SELECT, INSERT, UPDATE ON scim_token TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON scim_user, scim_group, scim_group_member TO ${app_role};
