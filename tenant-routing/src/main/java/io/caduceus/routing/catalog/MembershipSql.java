package io.caduceus.routing.catalog;

/** The control-plane SQL for reading a user's memberships, with what the client needs to show each tenant. */
final class MembershipSql {

  static final String COLUMNS = """
      m.tenant_id, t.name AS tenant_name, t.kind AS tenant_kind, t.data_region, t.status AS tenant_status,
      m.roles, m.patient_id, m.status, m.created_at""";

  static final String OF_USER = """
      SELECT %s
      FROM membership m
      JOIN tenant t ON t.id = m.tenant_id
      WHERE m.user_id = $1
      ORDER BY m.created_at, m.tenant_id""".formatted(COLUMNS);

  static final String IN_TENANT = """
      SELECT %s
      FROM membership m
      JOIN tenant t ON t.id = m.tenant_id
      WHERE m.user_id = $1 AND m.tenant_id = $2""".formatted(COLUMNS);

  private MembershipSql() {
  }
}
