-- SMART App Launch completeness: the portal reads and denies a pending request; refresh tokens (offline_access,
-- online_access) rotated on use; confidential apps (private_key_jwt or client_secret_basic); OpenID Connect id_tokens
-- (nonce); the EHR launch (a staff user's launch context, one use). Control plane only, no PHI: a patient or an
-- encounter appears as the opaque id of its record.

-- How an app authenticates at the token endpoint: 'none' (public, PKCE only), 'private_key_jwt' (its JWK set) or
-- 'client_secret_basic' (a secret shown once, stored as SHA-256). A private_key_jwt app registers its JWK set, or the
-- URL of one (on 127.0.0.1 only), read at each use. The launch URL receives an EHR launch.
ALTER TABLE smart_app
  ADD COLUMN auth_method text NOT NULL DEFAULT 'none'
    CHECK (auth_method IN ('none', 'private_key_jwt', 'client_secret_basic')),
  ADD COLUMN jwks        jsonb,
  ADD COLUMN jwks_uri    text,
  ADD COLUMN secret_hash bytea,
  ADD COLUMN launch_url  text,
  ADD CONSTRAINT smart_app_credentials CHECK (
    (auth_method = 'private_key_jwt') = (num_nonnulls(jwks, jwks_uri) = 1)
    AND num_nonnulls(jwks, jwks_uri) <= 1
    AND (auth_method = 'client_secret_basic') = (secret_hash IS NOT NULL));

-- A staff user's EHR launch context for one app: a patient (and an encounter), one use within five minutes.
CREATE TABLE smart_launch (
  id           uuid PRIMARY KEY,
  launch_hash  bytea NOT NULL UNIQUE,
  tenant_id    uuid NOT NULL REFERENCES tenant (id),
  app_id       uuid NOT NULL REFERENCES smart_app (id),
  user_id      uuid NOT NULL REFERENCES app_user (id),
  patient_id   uuid NOT NULL,
  encounter_id uuid,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz
);
CREATE INDEX smart_launch_tenant ON smart_launch (tenant_id, created_at);

-- A request names its nonce (OpenID Connect), and, from an EHR launch, the launch and the user it is addressed to.
-- denied_at: the user refused it.
ALTER TABLE smart_authorization
  ADD COLUMN nonce     text,
  ADD COLUMN launch_id uuid REFERENCES smart_launch (id),
  ADD COLUMN user_id   uuid REFERENCES app_user (id),
  ADD COLUMN denied_at timestamptz;

-- The consent keeps the approving user's login session (an online_access refresh token dies with it) and the
-- launch's context, which the token response names.
-- fhir_user: the approving user's own FHIR record ('Patient/<id>' or 'Practitioner/<id>'), for id_tokens.
ALTER TABLE smart_consent
  ADD COLUMN user_session_id     uuid REFERENCES auth_session (id),
  ADD COLUMN fhir_user           text,
  ADD COLUMN launch_patient_id   uuid,
  ADD COLUMN launch_encounter_id uuid;

-- Refresh tokens of a consent (stored as SHA-256): each is spent once and replaced; a spent one sent again means it
-- was stolen, and the whole consent (the chain) is revoked.
CREATE TABLE smart_refresh_token (
  token_hash bytea PRIMARY KEY,
  consent_id uuid NOT NULL REFERENCES smart_consent (id),
  issued_at  timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX smart_refresh_token_consent ON smart_refresh_token (consent_id);

-- The client assertions of confidential apps, as smart_assertion for backend clients: a jti is used once.
CREATE TABLE smart_app_assertion (
  app_id     uuid NOT NULL REFERENCES smart_app (id),
  jti        text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (app_id, jti)
);

GRANT SELECT, INSERT, UPDATE ON smart_launch, smart_refresh_token TO ${app_role};
GRANT SELECT, INSERT, DELETE ON smart_app_assertion TO ${app_role};
