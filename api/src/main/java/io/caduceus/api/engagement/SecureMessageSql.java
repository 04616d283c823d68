package io.caduceus.api.engagement;

/** The secure-message repository's SQL, in one place. Every statement runs under the tenant's row-level security. */
final class SecureMessageSql {

  /** The columns of a message, as {@link SecureMessageRepository} maps them. */
  private static final String COLUMNS = "id, patient_id, direction, sender_name, subject, body, created_at";

  static final String INSERT = """
      INSERT INTO secure_message (tenant_id, id, patient_id, direction, sender_user_id, sender_name, subject, body)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5, $6, $7)
      RETURNING %s
      """.formatted(COLUMNS);

  /** The patient's latest hundred messages, newest first. */
  static final String THREAD = """
      SELECT %s
      FROM secure_message
      WHERE patient_id = $1
      ORDER BY created_at DESC, id DESC
      LIMIT 100
      """.formatted(COLUMNS);

  static final String ONE = """
      SELECT %s
      FROM secure_message
      WHERE id = $1 AND patient_id = $2
      """.formatted(COLUMNS);

  private SecureMessageSql() {
  }
}
