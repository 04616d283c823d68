package io.caduceus.api.identity;

/** The control-plane SQL of single sign-on: tenants' IdPs, their domains, logins in flight, handoffs, identities. */
final class SsoSql {

  static final String SETTINGS = """
      SELECT s.tenant_id, s.issuer, s.client_id, s.client_secret_sealed, s.redirect_uris, s.require_sso,
             s.break_glass_user_id, s.version, s.updated_at,
             coalesce(array(SELECT d.domain FROM tenant_sso_domain d WHERE d.tenant_id = s.tenant_id
                            ORDER BY d.domain), '{}') AS email_domains
      FROM tenant_sso s
      WHERE s.tenant_id = $1""";

  static final String UPSERT = """
      INSERT INTO tenant_sso (tenant_id, issuer, client_id, client_secret_sealed, redirect_uris, require_sso,
                              break_glass_user_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (tenant_id) DO UPDATE SET issuer = $2, client_id = $3, client_secret_sealed = $4,
        redirect_uris = $5, require_sso = $6, break_glass_user_id = $7, updated_at = now(),
        version = tenant_sso.version + 1""";

  static final String DELETE = "DELETE FROM tenant_sso WHERE tenant_id = $1";

  // A first login's membership: never touches an existing one, so a membership removed meanwhile stays removed.
  static final String JOIN_NEW = """
      INSERT INTO membership (tenant_id, user_id, roles)
      VALUES ($1, $2, $3)
      ON CONFLICT (user_id, tenant_id) DO NOTHING""";

  static final String CLEAR_DOMAINS = "DELETE FROM tenant_sso_domain WHERE tenant_id = $1";

  static final String ADD_DOMAIN = "INSERT INTO tenant_sso_domain (domain, tenant_id) VALUES ($1, $2)";

  static final String TENANT_OF_DOMAIN = """
      SELECT d.tenant_id FROM tenant_sso_domain d JOIN tenant_sso s ON s.tenant_id = d.tenant_id
      WHERE d.domain = $1
      LIMIT 2""";

  static final String TENANT_OF_SLUG = """
      SELECT t.id AS tenant_id FROM tenant t JOIN tenant_sso s ON s.tenant_id = t.id WHERE t.slug = $1""";

  static final String REQUIREMENT = "SELECT require_sso, break_glass_user_id FROM tenant_sso WHERE tenant_id = $1";

  static final String ADD_LOGIN = """
      INSERT INTO sso_login (state_hash, tenant_id, nonce, verifier_sealed, callback_uri, app_redirect, app_challenge,
                             expires_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";

  /** Spends a login's state: only an unused, unexpired one answers, and only once. */
  static final String SPEND_LOGIN = """
      UPDATE sso_login SET used_at = now()
      WHERE state_hash = $1 AND used_at IS NULL AND expires_at > now()
      RETURNING tenant_id, nonce, verifier_sealed, callback_uri, app_redirect, app_challenge""";

  static final String ADD_HANDOFF = """
      INSERT INTO sso_handoff (code_hash, user_id, tenant_id, app_challenge, idp_amr, expires_at)
      VALUES ($1, $2, $3, $4, $5, $6)""";

  static final String SPEND_HANDOFF = """
      UPDATE sso_handoff SET used_at = now()
      WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now()
      RETURNING user_id, tenant_id, app_challenge, idp_amr""";

  static final String PURGE_LOGINS = "DELETE FROM sso_login WHERE expires_at < now() - interval '1 day'";

  static final String PURGE_HANDOFFS = "DELETE FROM sso_handoff WHERE expires_at < now() - interval '1 day'";

  static final String IDENTITY = "SELECT user_id FROM sso_identity WHERE issuer = $1 AND subject = $2";

  static final String LINK = """
      INSERT INTO sso_identity (issuer, subject, user_id) VALUES ($1, $2, $3)
      ON CONFLICT (issuer, subject) DO UPDATE SET last_login_at = now()
      RETURNING user_id""";

  static final String ACTIVE_ADMIN = """
      SELECT 1 FROM membership WHERE tenant_id = $1 AND user_id = $2 AND status = 'active'
        AND 'tenant_admin' = ANY (roles)""";

  private SsoSql() {
  }
}
