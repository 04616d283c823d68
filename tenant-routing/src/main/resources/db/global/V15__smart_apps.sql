-- SMART App Launch (standalone launch): a tenant admin registers a third-party app (public client, PKCE S256); a
-- user approves what it asks in the portal, which records a consent; the app exchanges a single-use code for a token
-- in the approving user's own context (a patient's: their record only). Control plane only: no PHI, a patient
-- appears as the opaque id of their record, as in membership.

CREATE TABLE smart_app (
  id            uuid PRIMARY KEY,
  tenant_id     uuid NOT NULL REFERENCES tenant (id),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  redirect_uris text[] NOT NULL CHECK (cardinality(redirect_uris) > 0),
  scopes        text[] NOT NULL CHECK (cardinality(scopes) > 0),
  created_by    uuid REFERENCES app_user (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  disabled_at   timestamptz
);
CREATE INDEX smart_app_tenant ON smart_app (tenant_id, created_at, id);

-- An authorization request waiting for the user's approval (ten minutes).
CREATE TABLE smart_authorization (
  id             uuid PRIMARY KEY,
  app_id         uuid NOT NULL REFERENCES smart_app (id),
  redirect_uri   text NOT NULL,
  scopes         text[] NOT NULL,
  state          text,
  code_challenge text NOT NULL,
  expires_at     timestamptz NOT NULL,
  decided_at     timestamptz
);

-- What a user approved: who, for which app, which scopes, when; revoked_at ends it and every token of it.
CREATE TABLE smart_consent (
  id         uuid PRIMARY KEY,
  tenant_id  uuid NOT NULL REFERENCES tenant (id),
  app_id     uuid NOT NULL REFERENCES smart_app (id),
  user_id    uuid NOT NULL REFERENCES app_user (id),
  patient_id uuid,
  roles      text[] NOT NULL,
  scopes     text[] NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX smart_consent_user ON smart_consent (user_id, tenant_id, granted_at);
CREATE INDEX smart_consent_app ON smart_consent (app_id) WHERE revoked_at IS NULL;

-- Single-use codes (stored as SHA-256), bound to the request's redirect URI and PKCE challenge; a minute to use.
CREATE TABLE smart_code (
  code_hash        bytea PRIMARY KEY,
  consent_id       uuid NOT NULL REFERENCES smart_consent (id),
  authorization_id uuid NOT NULL REFERENCES smart_authorization (id),
  expires_at       timestamptz NOT NULL,
  used_at          timestamptz
);

-- The sessions the consent's tokens carry ('sid'): revoking the consent ends them.
CREATE TABLE smart_consent_session (
  consent_id uuid NOT NULL REFERENCES smart_consent (id),
  session_id uuid NOT NULL REFERENCES auth_session (id),
  PRIMARY KEY (consent_id, session_id)
);

GRANT SELECT, INSERT, UPDATE ON smart_app, smart_authorization, smart_consent, smart_code TO ${app_role};
GRANT SELECT, INSERT ON smart_consent_session TO ${app_role};
