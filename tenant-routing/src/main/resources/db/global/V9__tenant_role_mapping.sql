-- How a tenant's identity provider names its people's jobs, mapped to Caduceus roles: single sign-on maps the ID
-- token's claims with it at every login (just-in-time provisioning, then role updates), and SCIM maps a user's group
-- memberships with it. A rule says "whoever carries value V in claim C holds role R"; SCIM groups count as the
-- claim 'groups'. Only staff roles: no rule grants platform_owner or patient (those come from elsewhere).
CREATE TABLE tenant_role_mapping (
  tenant_id   uuid NOT NULL REFERENCES tenant (id),
  claim       text NOT NULL DEFAULT 'groups' CHECK (claim ~ '^[A-Za-z0-9_.:/-]{1,100}$'),
  value       text NOT NULL CHECK (length(value) BETWEEN 1 AND 256),
  role        text NOT NULL CHECK (role NOT IN ('platform_owner', 'patient')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, claim, value, role)
);
GRANT SELECT, INSERT, DELETE ON tenant_role_mapping TO ${app_role};
