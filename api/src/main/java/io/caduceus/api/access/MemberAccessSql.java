package io.caduceus.api.access;

/** The control-plane statement that reads a member's tenant roles and live grants. */
final class MemberAccessSql {

  /**
   * One statement, so one snapshot: a first row with the tenant's access version, then a row per tenant role the
   * member holds and per grant neither revoked nor expired ({@code $1} tenant, {@code $2} user).
   */
  static final String MEMBER_ACCESS = """
      SELECT 'version' AS kind, coalesce((SELECT version FROM tenant_access WHERE tenant_id = $1), 0) AS version,
        NULL::uuid AS id, NULL::text AS name, NULL::text AS based_on, NULL::text[] AS permissions,
        NULL::uuid AS user_id, NULL::text AS permission, NULL::text AS scope_kind, NULL::uuid AS scope_id,
        NULL::timestamptz AS expires_at, NULL::uuid AS granted_by, NULL::timestamptz AS granted_at,
        NULL::timestamptz AS revoked_at
      UNION ALL
      SELECT 'role', NULL, r.id, r.name, r.based_on, r.permissions, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
      FROM member_tenant_role m JOIN tenant_role r ON r.tenant_id = m.tenant_id AND r.id = m.role_id
      WHERE m.tenant_id = $1 AND m.user_id = $2
      UNION ALL
      SELECT 'grant', NULL, g.id, NULL, NULL, NULL, g.user_id, g.permission, g.scope_kind, g.scope_id, g.expires_at,
        g.granted_by, g.granted_at, g.revoked_at
      FROM member_grant g
      WHERE g.tenant_id = $1 AND g.user_id = $2 AND g.revoked_at IS NULL
        AND (g.expires_at IS NULL OR g.expires_at > now())""";

  private MemberAccessSql() {
  }
}
