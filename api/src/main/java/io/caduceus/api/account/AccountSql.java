package io.caduceus.api.account;

/** The control-plane SQL of account tokens, email verification and a user's own sessions. */
final class AccountSql {

  /** The tenant whose email channel and name send account emails: the platform's own (the oldest, if several). */
  static final String SENDER = """
      SELECT id FROM tenant WHERE kind = 'platform' AND status = 'active' ORDER BY created_at, id LIMIT 1""";

  /** A new token makes the user's earlier live tokens of the same purpose unusable: only the newest email works. */
  static final String VOID_LIVE = """
      UPDATE account_token SET used_at = now()
      WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL""";

  static final String INSERT = """
      INSERT INTO account_token (id, user_id, purpose, token_hash, email, expires_at)
      VALUES ($1, $2, $3, $4, $5, $6)""";

  /** Spends a token: only a live one of an active user matches, once. */
  static final String SPEND = """
      UPDATE account_token t
      SET used_at = now()
      FROM app_user u
      WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > now()
        AND u.id = t.user_id AND u.status = 'active'
      RETURNING t.user_id, t.email, u.email AS current_email""";

  /** Whether a token could be spent now, without spending it. */
  static final String LIVE = """
      SELECT 1
      FROM account_token t
      JOIN app_user u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > now()
        AND u.status = 'active'""";

  /** Why a token could not be spent: used, expired (or its user disabled), or no row at all. */
  static final String STATE = """
      SELECT t.used_at IS NOT NULL AS used
      FROM account_token t
      WHERE t.token_hash = $1 AND t.purpose = $2""";

  /** Sets a new password; the address the reset link went to counts as verified if it is still the account's. */
  static final String SET_PASSWORD = """
      UPDATE app_user
      SET password_hash = $2, updated_at = now(),
        email_verified_at = CASE WHEN lower(email) = lower($3) THEN coalesce(email_verified_at, now())
                            ELSE email_verified_at END
      WHERE id = $1""";

  /** Marks the address verified, if it is still the one the link went to. */
  static final String VERIFY = """
      UPDATE app_user
      SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
      WHERE id = $1 AND lower(email) = lower($2)""";

  static final String UNVERIFY = "UPDATE app_user SET email_verified_at = NULL WHERE id = $1";

  static final String VERIFIED = "SELECT email_verified_at IS NOT NULL AS verified FROM app_user WHERE id = $1";

  /** A user's live sessions, newest first; the last use is the issue time of the newest refresh token. */
  static final String SESSIONS = """
      SELECT s.id, s.tenant_id, t.name AS tenant_name, s.device, s.created_at, s.expires_at,
        (SELECT max(r.issued_at) FROM refresh_token r WHERE r.session_id = s.id) AS last_used_at
      FROM auth_session s
      JOIN tenant t ON t.id = s.tenant_id
      WHERE s.user_id = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
      ORDER BY s.created_at DESC, s.id DESC
      LIMIT $2""";

  /** Ends one live session of the user; another user's session matches nothing. */
  static final String END_OWN = """
      UPDATE auth_session
      SET revoked_at = now(), revoke_reason = $3
      WHERE id = $2 AND user_id = $1 AND revoked_at IS NULL AND expires_at > now()
      RETURNING id""";

  /** Ends every live session of the user but {@code $2} (every one when it is null). */
  static final String END_ALL = """
      UPDATE auth_session
      SET revoked_at = now(), revoke_reason = $3
      WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid)
      RETURNING id""";

  private AccountSql() {
  }
}
