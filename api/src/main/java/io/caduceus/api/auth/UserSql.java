package io.caduceus.api.auth;

import io.caduceus.routing.Keyset;

/** The control-plane SQL for users and memberships. */
final class UserSql {

  static final String COLUMNS = "id, email, display_name, password_hash, status, email_verified_at";

  static final String BY_EMAIL = "SELECT " + COLUMNS + " FROM app_user WHERE lower(email) = lower($1)";

  static final String BY_ID = "SELECT " + COLUMNS + " FROM app_user WHERE id = $1";

  static final String DISPLAY_NAMES = "SELECT id, display_name FROM app_user WHERE id = ANY ($1::uuid[])";

  static final String INSERT = "INSERT INTO app_user (id, email, display_name, password_hash) VALUES ($1, $2, $3, $4)";

  static final String TOUCH_LOGIN = "UPDATE app_user SET last_login_at = now() WHERE id = $1";

  static final String JOIN = """
      INSERT INTO membership (tenant_id, user_id, roles, patient_id)
      VALUES ($1, $2, $3, $4)
      ON CONFLICT (user_id, tenant_id) DO UPDATE SET roles = EXCLUDED.roles, patient_id = EXCLUDED.patient_id,
        status = 'active', updated_at = now()""";

  static final String MEMBER_COLUMNS = """
      u.id AS user_id, u.email, u.display_name, m.roles, m.patient_id, m.status, m.created_at""";

  static final String MEMBERS = """
      SELECT %s
      FROM membership m
      JOIN app_user u ON u.id = m.user_id
      WHERE m.tenant_id = $1 AND %s
      ORDER BY m.created_at, m.user_id
      LIMIT $4""".formatted(MEMBER_COLUMNS, Keyset.after("m.created_at", "m.user_id", 2, 3));

  /** The active members of a tenant ($1) holding a role ($2), by user id (a tenant has few of a kind). */
  static final String HOLDERS = """
      SELECT m.user_id
      FROM membership m
      WHERE m.tenant_id = $1 AND m.status = 'active' AND $2 = ANY (m.roles)
      ORDER BY m.user_id
      LIMIT 100""";

  static final String MEMBER = """
      SELECT %s
      FROM membership m
      JOIN app_user u ON u.id = m.user_id
      WHERE m.tenant_id = $1 AND m.user_id = $2""".formatted(MEMBER_COLUMNS);

  static final String SET_ROLES = """
      UPDATE membership
      SET roles = $3, updated_at = now()
      WHERE tenant_id = $1 AND user_id = $2 AND status = 'active'""";

  static final String REMOVE = """
      UPDATE membership
      SET status = 'removed', updated_at = now()
      WHERE tenant_id = $1 AND user_id = $2 AND status = 'active'""";

  private UserSql() {
  }
}
