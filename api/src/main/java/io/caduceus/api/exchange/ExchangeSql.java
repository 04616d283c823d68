package io.caduceus.api.exchange;

/** The SQL of cross-tenant delivery and of the patients it identifies. */
final class ExchangeSql {

  /** The channel a committed exchange message is announced on, so relays deliver it at once instead of polling. */
  static final String CHANNEL = "caduceus_exchange";

  // Delivered by PostgreSQL only when (and if) the sending transaction commits.
  static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', '')";

  static final String REMEMBER = """
      INSERT INTO exchange_inbox (tenant_id, message_id, source_tenant_id, topic)
      VALUES ($1, $2, $3, $4)
      ON CONFLICT DO NOTHING""";

  static final String PATIENT = """
      SELECT id, family_name, given_name, birth_date, sex, contact
      FROM patient
      WHERE id = $1 AND deleted_at IS NULL""";

  static final String BY_SOURCE = """
      SELECT id
      FROM patient
      WHERE tenant_id = $1 AND source_tenant_id = $2 AND source_patient_id = $3""";

  static final String CREATE = """
      INSERT INTO patient (tenant_id, id, mrn, family_name, given_name, birth_date, sex, contact, created_by,
        updated_by, source_tenant_id, source_patient_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11)""";

  // Corrections at the source (a misspelt name, a new phone number) reach the copy with the next item.
  static final String REFRESH = """
      UPDATE patient
      SET family_name = $2, given_name = $3, birth_date = $4, sex = $5, contact = coalesce($6, contact),
        updated_by = $7, updated_at = now(), version = version + 1
      WHERE id = $1
        AND (family_name, given_name, birth_date, sex, contact) IS DISTINCT FROM
          ($2, $3, $4, $5, coalesce($6, contact))""";

  private ExchangeSql() {
  }
}
