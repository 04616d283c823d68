-- The control plane: who the tenants are, where their data lives, and who may act for them.
-- It holds no PHI: a patient appears here only as an opaque id that links a patient account to its record.

CREATE TABLE region (
  code         text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9-]{1,15}$'),
  display_name text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenant (
  id             uuid PRIMARY KEY,
  kind           text NOT NULL CHECK (kind IN ('platform', 'clinic', 'hospital', 'practice', 'lab', 'pharmacy', 'insurer')),
  slug           text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  status         text NOT NULL CHECK (status IN ('pending', 'active', 'suspended')),
  data_region    text NOT NULL REFERENCES region (code),
  isolation_tier text NOT NULL DEFAULT 'shared' CHECK (isolation_tier IN ('shared', 'schema', 'database')),
  locale         text NOT NULL,
  time_zone      text NOT NULL,
  branding       jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  version        integer NOT NULL DEFAULT 1
);
CREATE INDEX tenant_listing ON tenant (created_at, id);

-- A tenant's data region is fixed at creation: its PHI lives there and nowhere else.
CREATE FUNCTION tenant_region_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.data_region IS DISTINCT FROM OLD.data_region THEN
    RAISE EXCEPTION 'data_region of a tenant cannot change' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER tenant_region_fixed BEFORE UPDATE ON tenant FOR EACH ROW EXECUTE FUNCTION tenant_region_is_fixed();

-- Per-tenant data keys, wrapped by the platform master key (envelope encryption).
-- Destroying a key (wrapped_key = NULL) crypto-shreds every field sealed under it.
CREATE TABLE tenant_key (
  tenant_id     uuid NOT NULL REFERENCES tenant (id),
  key_version   integer NOT NULL,
  wrapped_key   bytea,
  master_key_id text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  destroyed_at  timestamptz,
  PRIMARY KEY (tenant_id, key_version)
);

CREATE TABLE app_user (
  id            uuid PRIMARY KEY,
  email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  password_hash text NOT NULL,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz
);
CREATE UNIQUE INDEX app_user_email ON app_user (lower(email));

CREATE TABLE membership (
  user_id    uuid NOT NULL REFERENCES app_user (id),
  tenant_id  uuid NOT NULL REFERENCES tenant (id),
  roles      text[] NOT NULL CHECK (cardinality(roles) > 0),
  patient_id uuid,
  status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, tenant_id),
  CHECK (('patient' = ANY (roles)) = (patient_id IS NOT NULL))
);
CREATE INDEX membership_tenant ON membership (tenant_id, user_id);
-- A patient record has at most one active account: a second one would be a second key to the same chart.
CREATE UNIQUE INDEX membership_one_account_per_patient ON membership (tenant_id, patient_id)
  WHERE patient_id IS NOT NULL AND status = 'active';

CREATE TABLE invitation (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenant (id),
  email       text NOT NULL,
  roles       text[] NOT NULL CHECK (cardinality(roles) > 0),
  patient_id  uuid,
  token_hash  bytea NOT NULL UNIQUE,
  invited_by  uuid REFERENCES app_user (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by uuid REFERENCES app_user (id),
  revoked_at  timestamptz
);
CREATE INDEX invitation_tenant ON invitation (tenant_id, created_at DESC, id);

-- ES256 signing keys for access tokens; the private half is sealed under the master key.
CREATE TABLE signing_key (
  kid                text PRIMARY KEY,
  algorithm          text NOT NULL,
  public_key_pem     text NOT NULL,
  private_key_sealed bytea NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  retired_at         timestamptz
);

-- A login session is one refresh-token family for one active tenant.
CREATE TABLE auth_session (
  id            uuid PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES app_user (id),
  tenant_id     uuid NOT NULL REFERENCES tenant (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  revoke_reason text
);
CREATE INDEX auth_session_user ON auth_session (user_id) WHERE revoked_at IS NULL;
CREATE INDEX auth_session_tenant ON auth_session (tenant_id) WHERE revoked_at IS NULL;

CREATE TABLE refresh_token (
  token_hash bytea PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES auth_session (id),
  issued_at  timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX refresh_token_session ON refresh_token (session_id);

-- Replies to control-plane POSTs, kept so a retried request with the same Idempotency-Key gets the same reply.
-- Replies can hold tokens, so they are stored sealed under the master key.
CREATE TABLE idempotency_record (
  scope        text NOT NULL,
  idem_key     text NOT NULL,
  fingerprint  bytea NOT NULL,
  status_code  integer,
  reply_sealed bytea,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, idem_key)
);
CREATE INDEX idempotency_record_age ON idempotency_record (created_at);

GRANT SELECT, INSERT, UPDATE ON region, tenant, tenant_key, app_user, membership, invitation, signing_key,
  auth_session, refresh_token TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_record TO ${app_role};
