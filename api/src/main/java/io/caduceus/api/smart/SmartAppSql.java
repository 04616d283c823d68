package io.caduceus.api.smart;

/** The control-plane SQL of SMART apps, their authorization requests, consents and codes. */
final class SmartAppSql {

  static final String INSERT_APP = """
      INSERT INTO smart_app (id, tenant_id, name, redirect_uris, scopes, created_by, auth_method, jwks, secret_hash,
        launch_url, jwks_uri)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
      RETURNING\s""" + SmartApp.COLUMNS;

  static final String LIST_APPS = "SELECT " + SmartApp.COLUMNS
      + " FROM smart_app WHERE tenant_id = $1 ORDER BY created_at, id";

  static final String FIND_APP = "SELECT " + SmartApp.COLUMNS + " FROM smart_app WHERE id = $1";

  /** Disables an app of the tenant, revokes its consents and ends their sessions; their ids, after the app's row. */
  static final String DISABLE_APP = """
      WITH a AS (UPDATE smart_app SET disabled_at = coalesce(disabled_at, now())
                 WHERE tenant_id = $1 AND id = $2 RETURNING id),
        c AS (UPDATE smart_consent SET revoked_at = now()
              WHERE app_id IN (SELECT id FROM a) AND revoked_at IS NULL RETURNING id),
        s AS (UPDATE auth_session SET revoked_at = now(), revoke_reason = 'SMART app disabled'
              WHERE revoked_at IS NULL AND id IN (SELECT session_id FROM smart_consent_session
                WHERE consent_id IN (SELECT id FROM c)) RETURNING id)
      SELECT a.id, (SELECT array_agg(id) FROM s) AS sessions FROM a""";

  static final String INSERT_AUTHORIZATION = """
      INSERT INTO smart_authorization (id, app_id, redirect_uri, scopes, state, code_challenge, expires_at, nonce,
        launch_id, user_id)
      VALUES ($1, $2, $3, $4, $5, $6, now() + interval '10 minutes', $7, $8, $9)""";

  /** Spends an EHR launch of the app in its tenant (once, unexpired); its id and the user it is for. */
  static final String USE_LAUNCH = """
      UPDATE smart_launch SET used_at = now()
      WHERE launch_hash = $1 AND app_id = $2 AND tenant_id = $3 AND used_at IS NULL AND expires_at > now()
      RETURNING id, user_id""";

  /** A launch the user created in the tenant. */
  static final String FIND_LAUNCH = """
      SELECT id, app_id, patient_id, encounter_id, created_at, expires_at, used_at
      FROM smart_launch WHERE id = $1 AND tenant_id = $2 AND user_id = $3""";

  static final String INSERT_LAUNCH = """
      INSERT INTO smart_launch (id, launch_hash, tenant_id, app_id, user_id, patient_id, encounter_id, expires_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, now() + interval '5 minutes')
      RETURNING expires_at""";

  /**
   * Decides a pending request of an enabled app of the tenant (once), addressed to the user or to anyone of the tenant;
   * its app, what it asked and the context of its EHR launch.
   */
  static final String DECIDE = """
      UPDATE smart_authorization r SET decided_at = now()
      FROM smart_app a
      WHERE r.id = $1 AND a.id = r.app_id AND a.tenant_id = $2 AND a.disabled_at IS NULL
        AND r.decided_at IS NULL AND r.expires_at > now() AND (r.user_id IS NULL OR r.user_id = $3)
      RETURNING r.id, r.app_id, r.redirect_uri, r.scopes, r.state,
        (SELECT l.patient_id FROM smart_launch l WHERE l.id = r.launch_id) AS launch_patient_id,
        (SELECT l.encounter_id FROM smart_launch l WHERE l.id = r.launch_id) AS launch_encounter_id""";

  /** Denies a pending request as {@link #DECIDE} decides one; where to send the user back. */
  static final String DENY = """
      UPDATE smart_authorization r SET decided_at = now(), denied_at = now()
      FROM smart_app a
      WHERE r.id = $1 AND a.id = r.app_id AND a.tenant_id = $2 AND a.disabled_at IS NULL
        AND r.decided_at IS NULL AND r.expires_at > now() AND (r.user_id IS NULL OR r.user_id = $3)
      RETURNING r.redirect_uri, r.state""";

  /** A pending request the user may decide (as {@link #DECIDE}), for the portal to show. */
  static final String PENDING = """
      SELECT r.id, r.app_id, a.name AS app_name, r.scopes, r.expires_at, l.patient_id AS launch_patient_id,
        l.encounter_id AS launch_encounter_id
      FROM smart_authorization r JOIN smart_app a ON a.id = r.app_id
        LEFT JOIN smart_launch l ON l.id = r.launch_id
      WHERE r.id = $1 AND a.tenant_id = $2 AND a.disabled_at IS NULL
        AND r.decided_at IS NULL AND r.expires_at > now() AND (r.user_id IS NULL OR r.user_id = $3)""";

  static final String INSERT_CONSENT = """
      INSERT INTO smart_consent (id, tenant_id, app_id, user_id, patient_id, roles, scopes, user_session_id,
        launch_patient_id, launch_encounter_id, fhir_user)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""";

  static final String INSERT_CODE = """
      INSERT INTO smart_code (code_hash, consent_id, authorization_id, expires_at)
      VALUES ($1, $2, $3, now() + interval '1 minute')""";

  /** Spends a code of a live consent of an enabled app; what the token needs. */
  static final String SPEND_CODE = """
      UPDATE smart_code k SET used_at = now()
      FROM smart_consent c, smart_authorization r, smart_app a
      WHERE k.code_hash = $1 AND k.used_at IS NULL AND k.expires_at > now()
        AND c.id = k.consent_id AND c.revoked_at IS NULL
        AND r.id = k.authorization_id AND a.id = c.app_id AND a.disabled_at IS NULL
      RETURNING c.id AS consent_id, c.tenant_id, c.app_id, c.user_id, c.patient_id, c.roles, c.scopes,
        c.fhir_user, c.launch_patient_id, c.launch_encounter_id, r.redirect_uri, r.code_challenge, r.nonce""";

  /**
   * Spends a refresh token of the app's live consent (offline, or online while the approving user's session lasts);
   * what the token needs.
   */
  static final String SPEND_REFRESH = """
      UPDATE smart_refresh_token t SET used_at = now()
      FROM smart_consent c, smart_app a
      WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > now()
        AND c.id = t.consent_id AND c.app_id = $2 AND c.revoked_at IS NULL AND a.id = c.app_id AND a.disabled_at IS NULL
        AND ('offline_access' = ANY (c.scopes) OR EXISTS (SELECT 1 FROM auth_session s
          WHERE s.id = c.user_session_id AND s.revoked_at IS NULL AND s.expires_at > now()))
      RETURNING c.id AS consent_id, c.tenant_id, c.app_id, c.user_id, c.patient_id, c.roles, c.scopes,
        c.fhir_user, c.launch_patient_id, c.launch_encounter_id, NULL::text AS nonce""";

  /**
   * A spent refresh token of the app sent again: revokes its consent (the whole chain) and ends its sessions; a row
   * (the session ids) when it was one.
   */
  static final String REUSED_REFRESH = """
      WITH t AS (SELECT t.consent_id FROM smart_refresh_token t JOIN smart_consent k ON k.id = t.consent_id
                 WHERE t.token_hash = $1 AND t.used_at IS NOT NULL AND k.app_id = $2),
        c AS (UPDATE smart_consent SET revoked_at = coalesce(revoked_at, now())
              WHERE id IN (SELECT consent_id FROM t) RETURNING id),
        s AS (UPDATE auth_session SET revoked_at = now(), revoke_reason = 'SMART refresh token reused'
              WHERE revoked_at IS NULL
                AND id IN (SELECT session_id FROM smart_consent_session WHERE consent_id IN (SELECT id FROM c))
              RETURNING id)
      SELECT c.id, (SELECT array_agg(id) FROM s) AS sessions FROM c""";

  static final String INSERT_REFRESH = """
      INSERT INTO smart_refresh_token (token_hash, consent_id, expires_at)
      VALUES ($1, $2, now() + interval '30 days')""";

  /** Remembers a confidential app's assertion jti until it expires; no row: a replay. */
  static final String REMEMBER_JTI = """
      WITH gone AS (DELETE FROM smart_app_assertion WHERE app_id = $1 AND expires_at < now())
      INSERT INTO smart_app_assertion (app_id, jti, expires_at) VALUES ($1, $2, $3)
      ON CONFLICT (app_id, jti) DO NOTHING
      RETURNING jti""";

  /** The consent's session: no refresh token, as long as the access token. */
  static final String INSERT_SESSION = """
      INSERT INTO auth_session (tenant_id, id, user_id, expires_at, amr, auth_time, mfa_pending, device)
      VALUES ($1, $2, $3, now() + interval '10 minutes', '{smart}', now(), false, 'SMART app')""";

  static final String LINK_SESSION = "INSERT INTO smart_consent_session (consent_id, session_id) VALUES ($1, $2)";

  static final String LIST_CONSENTS = """
      SELECT c.id, c.app_id, a.name AS app_name, c.scopes, c.granted_at, c.revoked_at
      FROM smart_consent c JOIN smart_app a ON a.id = c.app_id
      WHERE c.user_id = $1 AND c.tenant_id = $2
      ORDER BY c.granted_at DESC, c.id DESC""";

  /** Revokes a consent of the user in the tenant and ends its sessions; a row (the session ids) when it exists. */
  static final String REVOKE_CONSENT = """
      WITH c AS (UPDATE smart_consent SET revoked_at = coalesce(revoked_at, now())
                 WHERE id = $1 AND user_id = $2 AND tenant_id = $3 RETURNING id),
        s AS (UPDATE auth_session SET revoked_at = now(), revoke_reason = 'SMART consent revoked'
              WHERE revoked_at IS NULL
                AND id IN (SELECT session_id FROM smart_consent_session WHERE consent_id IN (SELECT id FROM c))
              RETURNING id)
      SELECT c.id, (SELECT array_agg(id) FROM s) AS sessions FROM c""";

  private SmartAppSql() {
  }
}
