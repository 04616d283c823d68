-- Account flows a mobile app needs: password reset by an emailed single-use link, email verification, and a
-- user's view of their sessions.

-- When the user proved they read mail at their address. Accounts that exist already were created by the platform,
-- by an invitation or by an import, which vouched for the address: they count as verified since they were made.
-- A new row is verified unless its maker says otherwise: only a self-service registration creates an account
-- whose address nobody has vouched for, and it sets NULL.
ALTER TABLE app_user ADD COLUMN email_verified_at timestamptz;
UPDATE app_user SET email_verified_at = created_at;
ALTER TABLE app_user ALTER COLUMN email_verified_at SET DEFAULT now();

-- The single-use tokens the account emails carry: stored as a SHA-256 hash only, spent once, short-lived. The
-- address the mail went to is kept, so a verification proves that address and no later one.
CREATE TABLE account_token (
  id         uuid PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES app_user (id),
  purpose    text NOT NULL CHECK (purpose IN ('password_reset', 'email_verification')),
  token_hash bytea NOT NULL UNIQUE,
  email      text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX account_token_live ON account_token (user_id, purpose) WHERE used_at IS NULL;

-- The device a session was opened from (the login's User-Agent, trimmed), for the user's list of sessions. Its
-- last use is the issue time of its newest refresh token.
-- (The user's live sessions are found through auth_session_user, V1.)
ALTER TABLE auth_session ADD COLUMN device text CHECK (length(device) <= 200);

GRANT SELECT, INSERT, UPDATE ON account_token TO ${app_role};
