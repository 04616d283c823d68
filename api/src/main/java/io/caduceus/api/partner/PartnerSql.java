package io.caduceus.api.partner;

/** The control-plane SQL of partner invitations and links. */
final class PartnerSql {

  static final String INVITE = """
      INSERT INTO partner_invitation (tenant_id, id, scope, code_hash, invited_by, expires_at)
      VALUES ($1, $2, $3, $4, $5, $6)""";

  static final String INVITATIONS = """
      SELECT id, scope, created_at, expires_at, answered_at, answer, link_id
      FROM partner_invitation
      WHERE tenant_id = $1
      ORDER BY created_at DESC, id DESC
      LIMIT 100""";

  static final String INVITATION = """
      SELECT id, scope, created_at, expires_at, answered_at, answer, link_id
      FROM partner_invitation
      WHERE tenant_id = $1 AND id = $2""";

  static final String BY_CODE = """
      SELECT i.id, i.tenant_id, i.scope, i.expires_at, i.answered_at, t.kind, t.status
      FROM partner_invitation i
      JOIN tenant t ON t.id = i.tenant_id
      WHERE i.code_hash = $1
      FOR UPDATE OF i""";

  static final String ANSWER = """
      UPDATE partner_invitation
      SET answered_at = now(), answered_by_tenant = $2, answer = $3, link_id = $4
      WHERE id = $1 AND answered_at IS NULL""";

  static final String LINK = """
      INSERT INTO partner_link (id, requester_tenant_id, partner_tenant_id, scope)
      VALUES ($1, $2, $3, $4)""";

  static final String LINK_COLUMNS = """
      l.id, l.requester_tenant_id, r.name AS requester_name, r.data_region AS requester_region,
      l.partner_tenant_id, p.name AS partner_name, p.data_region AS partner_region, l.scope, l.status,
      l.residency_basis, l.residency_decided_at, l.created_at, r.status AS requester_status,
      p.status AS partner_status""";

  private static final String FROM_LINKS = """
      FROM partner_link l
      JOIN tenant r ON r.id = l.requester_tenant_id
      JOIN tenant p ON p.id = l.partner_tenant_id""";

  static final String LINKS_OF = """
      SELECT %s
      %s
      WHERE l.requester_tenant_id = $1 OR l.partner_tenant_id = $1
      ORDER BY l.created_at DESC, l.id DESC""".formatted(LINK_COLUMNS, FROM_LINKS);

  static final String LINK_BY_ID = """
      SELECT %s
      %s
      WHERE l.id = $1
        AND (l.requester_tenant_id = $2 OR l.partner_tenant_id = $2)""".formatted(LINK_COLUMNS, FROM_LINKS);

  static final String ANY_LINK = "SELECT %s %s WHERE l.id = $1".formatted(LINK_COLUMNS, FROM_LINKS);

  static final String ACTIVE_LINK = """
      SELECT %s
      %s
      WHERE l.requester_tenant_id = $1
        AND l.partner_tenant_id = $2
        AND l.scope = $3
        AND l.status = 'active'""".formatted(LINK_COLUMNS, FROM_LINKS);

  static final String REVOKE = """
      UPDATE partner_link
      SET status = 'revoked', revoked_at = now(), revoked_by_tenant = $2
      WHERE id = $1 AND status = 'active' AND (requester_tenant_id = $2 OR partner_tenant_id = $2)""";

  static final String RESIDENCY = """
      UPDATE partner_link
      SET residency_basis = $3, residency_decided_by = $4, residency_decided_at = now()
      WHERE id = $1 AND requester_tenant_id = $2 AND status = 'active'""";

  private PartnerSql() {
  }
}
