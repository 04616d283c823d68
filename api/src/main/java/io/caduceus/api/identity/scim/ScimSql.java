package io.caduceus.api.identity.scim;

/** The control-plane SQL of SCIM: tokens, users, groups and group members. */
final class ScimSql {

  static final String TOKEN_INSERT = """
      INSERT INTO scim_token (id, tenant_id, name, token_hash, created_by) VALUES ($1, $2, $3, $4, $5)
      RETURNING id, name, created_at, last_used_at, revoked_at""";
  static final String TOKEN_LIST = """
      SELECT id, name, created_at, last_used_at, revoked_at FROM scim_token WHERE tenant_id = $1
      ORDER BY created_at, id""";
  static final String TOKEN_REVOKE = """
      UPDATE scim_token SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND id = $2""";
  static final String TOKEN_LIVE = """
      SELECT id, tenant_id FROM scim_token WHERE token_hash = $1 AND revoked_at IS NULL""";
  /** Marks a token used at most once a minute, so a busy IdP does not write on every request. */
  static final String TOKEN_USED = """
      UPDATE scim_token SET last_used_at = now()
      WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')""";

  static final String USER_COLUMNS = """
      s.user_id, s.user_name, s.external_id, s.active, s.attributes, s.version, s.created_at, s.updated_at, u.email""";
  static final String USER_FROM = " FROM scim_user s JOIN app_user u ON u.id = s.user_id WHERE s.tenant_id = $1";
  static final String USER = "SELECT " + USER_COLUMNS + USER_FROM + " AND s.user_id = $2";
  static final String USER_FOR_UPDATE = USER + " FOR UPDATE OF s";
  static final String USERS_ALL = "SELECT " + USER_COLUMNS + USER_FROM
      + " ORDER BY s.created_at, s.user_id OFFSET $2 LIMIT $3";
  static final String USER_IDS = "SELECT user_id FROM scim_user WHERE tenant_id = $1 ORDER BY user_id";
  static final String USERS_COUNT_ALL = "SELECT count(*) FROM scim_user s WHERE s.tenant_id = $1";
  static final String USERS_BY_NAME = "SELECT " + USER_COLUMNS + USER_FROM
      + " AND lower(s.user_name) = lower($4) ORDER BY s.created_at, s.user_id OFFSET $2 LIMIT $3";
  static final String USERS_COUNT_BY_NAME = """
      SELECT count(*) FROM scim_user s WHERE s.tenant_id = $1 AND lower(s.user_name) = lower($2)""";
  static final String USERS_BY_EXTERNAL = "SELECT " + USER_COLUMNS + USER_FROM
      + " AND s.external_id = $4 ORDER BY s.created_at, s.user_id OFFSET $2 LIMIT $3";
  static final String USERS_COUNT_BY_EXTERNAL = """
      SELECT count(*) FROM scim_user s WHERE s.tenant_id = $1 AND s.external_id = $2""";
  static final String USER_NAME_TAKEN = """
      SELECT user_id FROM scim_user WHERE tenant_id = $1 AND lower(user_name) = lower($2)""";
  static final String USER_INSERT = """
      INSERT INTO scim_user (tenant_id, user_id, user_name, external_id, active, attributes)
      VALUES ($1, $2, $3, $4, $5, $6)""";
  static final String USER_UPDATE = """
      UPDATE scim_user SET user_name = $3, external_id = $4, active = $5, attributes = $6, version = version + 1,
        updated_at = now()
      WHERE tenant_id = $1 AND user_id = $2""";
  static final String USER_DELETE = "DELETE FROM scim_user WHERE tenant_id = $1 AND user_id = $2";
  static final String USER_GROUPS = """
      SELECT g.id, g.display_name FROM scim_group_member m JOIN scim_group g ON g.id = m.group_id
      WHERE m.tenant_id = $1 AND m.user_id = $2 ORDER BY g.display_name, g.id""";
  static final String EXISTING_USERS = """
      SELECT user_id FROM scim_user WHERE tenant_id = $1 AND user_id = ANY ($2::uuid[])""";

  static final String GROUP_COLUMNS = "g.id, g.display_name, g.external_id, g.version, g.created_at, g.updated_at";
  static final String GROUP = "SELECT " + GROUP_COLUMNS + " FROM scim_group g WHERE g.tenant_id = $1 AND g.id = $2";
  static final String GROUP_FOR_UPDATE = GROUP + " FOR UPDATE";
  static final String GROUPS_ALL = "SELECT " + GROUP_COLUMNS
      + " FROM scim_group g WHERE g.tenant_id = $1 ORDER BY g.created_at, g.id OFFSET $2 LIMIT $3";
  static final String GROUPS_COUNT_ALL = "SELECT count(*) FROM scim_group WHERE tenant_id = $1";
  static final String GROUPS_BY_NAME = "SELECT " + GROUP_COLUMNS + """
       FROM scim_group g WHERE g.tenant_id = $1 AND lower(g.display_name) = lower($4)
      ORDER BY g.created_at, g.id OFFSET $2 LIMIT $3""";
  static final String GROUPS_COUNT_BY_NAME = """
      SELECT count(*) FROM scim_group WHERE tenant_id = $1 AND lower(display_name) = lower($2)""";
  static final String GROUPS_BY_EXTERNAL = "SELECT " + GROUP_COLUMNS + """
       FROM scim_group g WHERE g.tenant_id = $1 AND g.external_id = $4
      ORDER BY g.created_at, g.id OFFSET $2 LIMIT $3""";
  static final String GROUPS_COUNT_BY_EXTERNAL = """
      SELECT count(*) FROM scim_group WHERE tenant_id = $1 AND external_id = $2""";
  static final String GROUP_NAME_TAKEN = """
      SELECT id FROM scim_group WHERE tenant_id = $1 AND lower(display_name) = lower($2)""";
  static final String GROUP_INSERT = """
      INSERT INTO scim_group (id, tenant_id, display_name, external_id) VALUES ($1, $2, $3, $4)""";
  static final String GROUP_UPDATE = """
      UPDATE scim_group SET display_name = $3, external_id = $4, version = version + 1, updated_at = now()
      WHERE tenant_id = $1 AND id = $2""";
  static final String GROUP_DELETE = "DELETE FROM scim_group WHERE tenant_id = $1 AND id = $2";
  static final String GROUP_MEMBERS = """
      SELECT m.user_id, s.user_name FROM scim_group_member m
      JOIN scim_user s ON s.tenant_id = m.tenant_id AND s.user_id = m.user_id
      WHERE m.tenant_id = $1 AND m.group_id = $2 ORDER BY s.user_name, m.user_id""";
  static final String GROUP_MEMBERS_CLEAR = "DELETE FROM scim_group_member WHERE tenant_id = $1 AND group_id = $2";
  static final String GROUP_MEMBER_ADD = """
      INSERT INTO scim_group_member (tenant_id, group_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING""";

  static final String MEMBERSHIP = """
      SELECT roles, patient_id, status FROM membership WHERE tenant_id = $1 AND user_id = $2 FOR UPDATE""";
  static final String MEMBERSHIP_SET = """
      INSERT INTO membership (tenant_id, user_id, roles) VALUES ($1, $2, $3)
      ON CONFLICT (user_id, tenant_id) DO UPDATE SET roles = EXCLUDED.roles, status = 'active', updated_at = now()""";
  static final String MEMBERSHIP_END = """
      UPDATE membership SET status = 'removed', updated_at = now()
      WHERE tenant_id = $1 AND user_id = $2 AND status = 'active'""";

  static final String APP_USER_BY_EMAIL = "SELECT id FROM app_user WHERE lower(email) = lower($1)";

  private ScimSql() {
  }
}
