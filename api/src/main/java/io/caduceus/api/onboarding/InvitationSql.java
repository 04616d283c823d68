package io.caduceus.api.onboarding;

import io.caduceus.routing.Keyset;

/** The control-plane SQL of invitations, in one place. */
final class InvitationSql {

  static final String COLUMNS = """
      id, tenant_id, email, roles, patient_id, created_at, expires_at, accepted_at, revoked_at""";

  static final String INSERT = """
      INSERT INTO invitation (tenant_id, id, email, roles, patient_id, token_hash, invited_by, expires_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      RETURNING %s""".formatted(COLUMNS);

  static final String LIST = """
      SELECT %s
      FROM invitation
      WHERE tenant_id = $1 AND %s
      ORDER BY created_at DESC, id DESC
      LIMIT $4""".formatted(COLUMNS, Keyset.before("created_at", "id", 2, 3));

  static final String REVOKE = """
      UPDATE invitation
      SET revoked_at = now()
      WHERE tenant_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL""";

  static final String EXISTS = "SELECT 1 FROM invitation WHERE tenant_id = $1 AND id = $2";

  static final String BY_TOKEN = "SELECT " + COLUMNS + " FROM invitation WHERE token_hash = $1";

  static final String ACCEPT = """
      UPDATE invitation
      SET accepted_at = now(), accepted_by = $2
      WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()""";

  private InvitationSql() {
  }
}
