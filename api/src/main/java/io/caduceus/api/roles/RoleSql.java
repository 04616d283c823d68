package io.caduceus.api.roles;

/** The control-plane statements of tenant roles, their assignments, grants and the access changes they make. */
final class RoleSql {

  static final String COLUMNS = "id, name, description, based_on, permissions, version, created_at, updated_at";

  static final String INSERT_ROLE = """
      INSERT INTO tenant_role (tenant_id, id, name, description, based_on, permissions)
      VALUES ($1, $2, $3, $4, $5, $6)
      RETURNING""" + " " + COLUMNS;

  static final String FIND_ROLE = "SELECT " + COLUMNS + " FROM tenant_role WHERE tenant_id = $1 AND id = $2";

  static final String FIND_ROLE_FOR_UPDATE = FIND_ROLE + " FOR UPDATE";

  static final String LIST_ROLES = "SELECT " + COLUMNS + " FROM tenant_role WHERE tenant_id = $1 ORDER BY lower(name)";

  static final String UPDATE_ROLE = """
      UPDATE tenant_role SET name = $3, description = $4, based_on = $5, permissions = $6, version = version + 1,
        updated_at = now()
      WHERE tenant_id = $1 AND id = $2
      RETURNING""" + " " + COLUMNS;

  static final String DELETE_ROLE = "DELETE FROM tenant_role WHERE tenant_id = $1 AND id = $2";

  static final String MEMBER_ROLES = """
      SELECT r.id, r.name, r.description, r.based_on, r.permissions, r.version, r.created_at, r.updated_at
      FROM member_tenant_role m JOIN tenant_role r ON r.tenant_id = m.tenant_id AND r.id = m.role_id
      WHERE m.tenant_id = $1 AND m.user_id = $2 ORDER BY lower(r.name)""";

  static final String CLEAR_MEMBER_ROLES = "DELETE FROM member_tenant_role WHERE tenant_id = $1 AND user_id = $2";

  static final String ASSIGN = """
      INSERT INTO member_tenant_role (tenant_id, user_id, role_id)
      SELECT $1, $2, r.id FROM tenant_role r WHERE r.tenant_id = $1 AND r.id = ANY ($3::uuid[])""";

  static final String ACTIVE_STAFF_MEMBER = """
      SELECT roles FROM membership
      WHERE tenant_id = $1 AND user_id = $2 AND status = 'active' AND NOT ('patient' = ANY (roles))""";

  static final String GRANT_COLUMNS = """
      id, user_id, permission, scope_kind, scope_id, expires_at, granted_by, granted_at, revoked_at""";

  static final String INSERT_GRANT = """
      INSERT INTO member_grant (tenant_id, id, user_id, permission, scope_kind, scope_id, expires_at, granted_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      RETURNING""" + " " + GRANT_COLUMNS;

  static final String FIND_GRANT = "SELECT " + GRANT_COLUMNS
      + " FROM member_grant WHERE tenant_id = $1 AND user_id = $2 AND id = $3";

  static final String MEMBER_GRANTS = "SELECT " + GRANT_COLUMNS
      + " FROM member_grant WHERE tenant_id = $1 AND user_id = $2 ORDER BY granted_at, id";

  static final String REVOKE_GRANT = """
      UPDATE member_grant SET revoked_at = now(), revoked_by = $4
      WHERE tenant_id = $1 AND user_id = $2 AND id = $3 AND revoked_at IS NULL
      RETURNING""" + " " + GRANT_COLUMNS;

  /** Bumps the tenant's access version in the change's transaction and returns it. */
  static final String BUMP_VERSION = """
      INSERT INTO tenant_access (tenant_id, version, changed_at) VALUES ($1, 1, now())
      ON CONFLICT (tenant_id) DO UPDATE SET version = tenant_access.version + 1, changed_at = now()
      RETURNING version""";

  static final String INSERT_CHANGE = """
      INSERT INTO access_change (tenant_id, id, actor_user_id, action, object_type, object_id, before, after,
        request_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""";

  private RoleSql() {
  }
}
