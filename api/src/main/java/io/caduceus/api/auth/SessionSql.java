package io.caduceus.api.auth;

/** The control-plane SQL for sessions and refresh tokens. */
final class SessionSql {

  static final String INSERT_SESSION = """
      INSERT INTO auth_session (tenant_id, id, user_id, expires_at, amr, auth_time, mfa_pending, device)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";

  static final String INSERT_REFRESH = """
      INSERT INTO refresh_token (token_hash, session_id, expires_at)
      VALUES ($1, $2, $3)""";

  /** Spends a refresh token: only an unused one of a live session matches. */
  static final String SPEND_REFRESH = """
      UPDATE refresh_token r
      SET used_at = now()
      FROM auth_session s
      WHERE r.token_hash = $1
        AND r.used_at IS NULL
        AND r.expires_at > now()
        AND s.id = r.session_id
        AND s.revoked_at IS NULL
        AND s.expires_at > now()
      RETURNING s.id, s.user_id, s.tenant_id, s.expires_at, s.amr, s.auth_time, s.mfa_pending""";

  /** A live session and what its user proved. */
  static final String LIVE = """
      SELECT id, user_id, tenant_id, expires_at, amr, auth_time, mfa_pending
      FROM auth_session
      WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()""";

  /** Records a new proof in a live session (a step-up or a second factor just enrolled). */
  static final String PROVE = """
      UPDATE auth_session
      SET amr = $2, auth_time = $3, mfa_pending = $4
      WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()
      RETURNING id, user_id, tenant_id, expires_at, amr, auth_time, mfa_pending""";

  static final String REFRESH_SESSION = "SELECT session_id, used_at FROM refresh_token WHERE token_hash = $1";

  static final String REVOKE = """
      UPDATE auth_session
      SET revoked_at = now(), revoke_reason = $2
      WHERE id = $1 AND revoked_at IS NULL""";

  static final String REVOKE_MEMBER = """
      UPDATE auth_session
      SET revoked_at = now(), revoke_reason = $3
      WHERE user_id = $1 AND tenant_id = $2 AND revoked_at IS NULL
      RETURNING id""";

  static final String REVOKE_TENANT = """
      UPDATE auth_session
      SET revoked_at = now(), revoke_reason = $2
      WHERE tenant_id = $1 AND revoked_at IS NULL
      RETURNING id""";

  /** Whether a session has ended (a session that does not exist has), and its tenant's status: the truth. */
  static final String STANDING = """
      SELECT coalesce((SELECT revoked_at IS NOT NULL FROM auth_session WHERE id = $1), true) AS session_ended,
        (SELECT status FROM tenant WHERE id = $2) AS tenant_status,
        coalesce((SELECT version FROM tenant_access WHERE tenant_id = $2), 0) AS access_version""";

  /** The tenants whose access version changed after {@code $1} (every tenant that has one if null). */
  static final String ACCESS_VERSIONS_SINCE = """
      SELECT tenant_id, version FROM tenant_access
      WHERE changed_at > CASE WHEN $1::timestamptz IS NULL THEN '-infinity' ELSE $1::timestamptz END""";

  /**
   * The sessions ended after {@code $1} (or in the last {@code $2} seconds, whichever is later), after a first row
   * that carries only the database's clock, to resume from. {@code now()} is stable, so the range is an index scan.
   */
  static final String ENDED_SINCE = """
      SELECT now() AS now, NULL::uuid AS id, NULL::timestamptz AS revoked_at
      UNION ALL SELECT now(), id, revoked_at
      FROM auth_session
      WHERE revoked_at > greatest($1::timestamptz, now() - make_interval(secs => $2))""";

  private SessionSql() {
  }
}
