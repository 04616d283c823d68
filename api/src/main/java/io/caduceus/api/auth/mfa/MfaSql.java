package io.caduceus.api.auth.mfa;

/** The control-plane SQL of second factors, MFA tickets and tenants' MFA policies. */
final class MfaSql {

  /** A new unconfirmed secret; a confirmed authenticator is kept (no row returned). */
  static final String PUT_PENDING = """
      INSERT INTO user_totp (user_id, secret_sealed)
      VALUES ($1, $2)
      ON CONFLICT (user_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, last_step = 0, created_at = now()
      WHERE user_totp.confirmed_at IS NULL
      RETURNING user_id""";

  static final String FIND = "SELECT secret_sealed, confirmed_at, last_step FROM user_totp WHERE user_id = $1";

  static final String CONFIRMED = "SELECT EXISTS (SELECT 1 FROM user_totp WHERE user_id = $1"
      + " AND confirmed_at IS NOT NULL) AS confirmed";

  /** Accepts a code's step once: only a step later than every one accepted before matches (replay refused). */
  static final String ACCEPT_STEP = """
      UPDATE user_totp
      SET last_step = $2, confirmed_at = coalesce(confirmed_at, now())
      WHERE user_id = $1 AND last_step < $2 AND ($3 OR confirmed_at IS NOT NULL)
      RETURNING user_id""";

  static final String DELETE_TOTP = "DELETE FROM user_totp WHERE user_id = $1";

  static final String DELETE_CODES = "DELETE FROM user_recovery_code WHERE user_id = $1";

  static final String INSERT_CODE = "INSERT INTO user_recovery_code (user_id, code_hash) VALUES ($1, $2)";

  static final String USE_CODE = """
      UPDATE user_recovery_code
      SET used_at = now()
      WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL
        AND EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = $1 AND t.confirmed_at IS NOT NULL)
      RETURNING user_id""";

  static final String CODES_LEFT = "SELECT count(*) AS left FROM user_recovery_code WHERE user_id = $1"
      + " AND used_at IS NULL";

  static final String INSERT_TICKET = """
      INSERT INTO mfa_ticket (ticket_hash, user_id, tenant_id, expires_at)
      VALUES ($1, $2, $3, $4)""";

  static final String FIND_TICKET = """
      SELECT user_id, tenant_id FROM mfa_ticket
      WHERE ticket_hash = $1 AND used_at IS NULL AND expires_at > now()""";

  static final String SPEND_TICKET = """
      UPDATE mfa_ticket SET used_at = now()
      WHERE ticket_hash = $1 AND used_at IS NULL AND expires_at > now()
      RETURNING user_id""";

  /** Tickets a day past their expiry go (a login's leftovers). */
  static final String PURGE_TICKETS = "DELETE FROM mfa_ticket WHERE expires_at < now() - interval '1 day'";

  private MfaSql() {
  }
}
