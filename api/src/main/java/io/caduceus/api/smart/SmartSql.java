package io.caduceus.api.smart;

/** The control-plane SQL of SMART backend clients and their assertions. */
final class SmartSql {

  /** The client's session: no user, no refresh token, ended when the client is disabled. */
  static final String INSERT_SESSION = """
      INSERT INTO auth_session (tenant_id, id, user_id, expires_at, amr, auth_time, mfa_pending, device)
      VALUES ($1, $2, NULL, 'infinity', '{private_key_jwt}', now(), false, 'SMART backend client')""";

  static final String INSERT_CLIENT = """
      INSERT INTO smart_client (id, tenant_id, name, jwks, roles, scopes, session_id, created_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      RETURNING id, tenant_id, name, jwks, roles, scopes, session_id, created_at, disabled_at""";

  static final String LIST = """
      SELECT id, tenant_id, name, jwks, roles, scopes, session_id, created_at, disabled_at
      FROM smart_client
      WHERE tenant_id = $1
      ORDER BY created_at, id""";

  /** A client by id, for the token endpoint: it names its tenant. */
  static final String FIND = """
      SELECT id, tenant_id, name, jwks, roles, scopes, session_id, created_at, disabled_at
      FROM smart_client
      WHERE id = $1""";

  /** Disables a client of the tenant and ends its session in one statement; a row when the client exists. */
  static final String DISABLE = """
      WITH c AS (SELECT id, session_id, disabled_at FROM smart_client WHERE tenant_id = $1 AND id = $2 FOR UPDATE),
        d AS (UPDATE smart_client s SET disabled_at = now() FROM c WHERE s.id = c.id AND c.disabled_at IS NULL),
        e AS (UPDATE auth_session a SET revoked_at = now(), revoke_reason = 'SMART client disabled'
              FROM c WHERE a.id = c.session_id AND a.revoked_at IS NULL)
      SELECT session_id FROM c""";

  /** Remembers an assertion's jti until it expires (dropping the client's expired ones); no row: a replay. */
  static final String REMEMBER_JTI = """
      WITH gone AS (DELETE FROM smart_assertion WHERE client_id = $1 AND expires_at < now())
      INSERT INTO smart_assertion (client_id, jti, expires_at) VALUES ($1, $2, $3)
      ON CONFLICT (client_id, jti) DO NOTHING
      RETURNING jti""";

  private SmartSql() {
  }
}
