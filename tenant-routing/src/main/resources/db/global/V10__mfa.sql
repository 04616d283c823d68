-- Multi-factor authentication. Users are global (one identity across tenants), so their second factor is too: it
-- lives in the control plane beside app_user, and its secret is sealed under a key derived from the platform master
-- key (purpose "mfa.totp", bound to the user), not under one tenant's data key: a user's authenticator guards every
-- tenant they belong to, and offboarding one tenant (which destroys its data key) must not shred it.

-- A user's TOTP authenticator (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits). Unconfirmed until a first code proves
-- the user holds it. last_step is the last time step a code was accepted for: a code of that step or an earlier one
-- is refused, so a code is accepted once (replay inside its window fails).
CREATE TABLE user_totp (
  user_id       uuid PRIMARY KEY REFERENCES app_user (id),
  secret_sealed bytea NOT NULL,
  confirmed_at  timestamptz,
  last_step     bigint NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Ten single-use recovery codes per confirmed authenticator, stored as SHA-256 hashes (each has 80 random bits).
CREATE TABLE user_recovery_code (
  user_id    uuid NOT NULL REFERENCES app_user (id),
  code_hash  bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at    timestamptz,
  PRIMARY KEY (user_id, code_hash)
);

-- The short-lived ticket a password login answers with when the user has MFA: the ticket and a code give the
-- tokens. Stored hashed; single use.
CREATE TABLE mfa_ticket (
  ticket_hash bytea PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES app_user (id),
  tenant_id   uuid REFERENCES tenant (id),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX mfa_ticket_expiry ON mfa_ticket (expires_at);

-- A tenant's MFA policy: nobody, all staff (every member who is not only a patient), or members holding one of the
-- chosen roles. A member under the policy without MFA gets a session that can only enrol.
CREATE TABLE tenant_mfa_policy (
  tenant_id    uuid PRIMARY KEY REFERENCES tenant (id),
  required_for text NOT NULL CHECK (required_for IN ('none', 'all_staff', 'roles')),
  roles        text[] NOT NULL DEFAULT '{}',
  updated_at   timestamptz NOT NULL DEFAULT now(),
  updated_by   uuid REFERENCES app_user (id),
  CHECK ((required_for = 'roles') = (cardinality(roles) > 0))
);

-- What a session's user proved (RFC 8176 method names) and when (auth_time): its tokens carry both, so step-up
-- operations can ask for a recent MFA. mfa_pending: the session may only enrol or verify a second factor.
ALTER TABLE auth_session
  ADD COLUMN amr         text[] NOT NULL DEFAULT '{pwd}',
  ADD COLUMN auth_time   timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN mfa_pending boolean NOT NULL DEFAULT false;

GRANT SELECT, INSERT, UPDATE, DELETE ON user_totp TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON user_recovery_code TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON mfa_ticket TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON tenant_mfa_policy TO ${app_role};
