-- Single sign-on per tenant with OpenID Connect (issue 13). All of it lives in the control plane: it is identity,
-- never PHI, and a login must find its tenant before it knows any region.

-- A tenant's identity provider. The client secret is sealed under the tenant's data key (binding
-- 'tenant_sso/client_secret'), like its provider accounts; destroying the key shreds it. require_sso refuses password
-- logins of the tenant's staff, except the one break-glass local admin.
CREATE TABLE tenant_sso (
  tenant_id            uuid PRIMARY KEY REFERENCES tenant (id),
  issuer               text NOT NULL CHECK (issuer ~ '^https?://\S+$' AND length(issuer) <= 500),
  client_id            text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 255),
  client_secret_sealed bytea NOT NULL,
  redirect_uris        text[] NOT NULL DEFAULT '{}',
  require_sso          boolean NOT NULL DEFAULT false,
  break_glass_user_id  uuid REFERENCES app_user (id),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  version              integer NOT NULL DEFAULT 1
);

-- The email domains a tenant's IdP vouches for: a login started with an email finds its tenant here, and a person
-- from another domain is never provisioned. Tenants of one hospital network may share a domain (and an IdP); a login
-- started with such an email must then name its tenant.
CREATE TABLE tenant_sso_domain (
  tenant_id  uuid NOT NULL REFERENCES tenant (id),
  domain     text NOT NULL CHECK (domain ~ '^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$'),
  PRIMARY KEY (tenant_id, domain)
);
CREATE INDEX tenant_sso_domain_lookup ON tenant_sso_domain (domain, tenant_id);

-- One person at an IdP (issuer, subject) is one Caduceus user, across every tenant that trusts that IdP.
CREATE TABLE sso_identity (
  issuer        text NOT NULL,
  subject       text NOT NULL,
  user_id       uuid NOT NULL REFERENCES app_user (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (issuer, subject)
);
CREATE INDEX sso_identity_user ON sso_identity (user_id);

-- A login in flight: found by the hash of its state, used once, short-lived. PostgreSQL is its truth (any node may
-- take the callback). The PKCE verifier towards the IdP is sealed under the tenant's key; app_challenge is the
-- mobile app's own PKCE challenge (S256) for the one-time code it exchanges.
CREATE TABLE sso_login (
  state_hash      bytea PRIMARY KEY,
  tenant_id       uuid NOT NULL REFERENCES tenant (id),
  nonce           text NOT NULL,
  verifier_sealed bytea NOT NULL,
  callback_uri    text NOT NULL,
  app_redirect    text,
  app_challenge   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  used_at         timestamptz
);
CREATE INDEX sso_login_expiry ON sso_login (expires_at);

-- The one-time code an app exchanges (with its PKCE verifier) for its tokens, so no token travels in a redirect URL.
CREATE TABLE sso_handoff (
  code_hash     bytea PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES app_user (id),
  tenant_id     uuid NOT NULL REFERENCES tenant (id),
  app_challenge text NOT NULL,
  idp_amr       text[] NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  used_at       timestamptz
);
CREATE INDEX sso_handoff_expiry ON sso_handoff (expires_at);

-- A person provisioned by single sign-on has no local password: password login fails for them as for an unknown
-- email (the decoy hash is checked), and they sign in through their IdP.
ALTER TABLE app_user ALTER COLUMN password_hash DROP NOT NULL;

GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_sso, tenant_sso_domain, sso_login, sso_handoff TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON sso_identity TO ${app_role};
