package io.caduceus.api.http;

/**
 * The idempotency repository's SQL, in one place: a tenant's records in its regional database (under its row-level
 * security), and the control plane's, keyed by scope.
 */
final class IdempotencySql {

  /** Claims a tenant user's key for the transaction's change; claims nothing if the key is taken. */
  static final String CLAIM = """
      INSERT INTO idempotency_record (tenant_id, user_id, idem_key, operation, fingerprint, status_code, headers)
      VALUES ($1, $2, $3, $4, $5, 0, '{}')
      ON CONFLICT DO NOTHING
      """;

  static final String STORED = """
      SELECT operation, fingerprint, status_code, headers, body_sealed, patient_ids
      FROM idempotency_record
      WHERE tenant_id = $1 AND user_id = $2 AND idem_key = $3
      """;

  static final String STORE = """
      UPDATE idempotency_record
      SET status_code = $4, headers = $5, body_sealed = $6, patient_ids = $7
      WHERE tenant_id = $1 AND user_id = $2 AND idem_key = $3
      """;

  static final String PRUNE_TENANT = """
      DELETE FROM idempotency_record
      WHERE tenant_id = $1 AND created_at < now() - interval '24 hours'
      """;

  /** Reserves a key in the control plane; reserves nothing if the key is taken. */
  static final String RESERVE = """
      INSERT INTO idempotency_record (scope, idem_key, fingerprint)
      VALUES ($1, $2, $3)
      ON CONFLICT DO NOTHING
      """;

  static final String RESERVED = """
      SELECT fingerprint, status_code, reply_sealed
      FROM idempotency_record
      WHERE scope = $1 AND idem_key = $2
      """;

  static final String COMPLETE = """
      UPDATE idempotency_record
      SET status_code = $3, reply_sealed = $4
      WHERE scope = $1 AND idem_key = $2
      """;

  static final String RELEASE = """
      DELETE FROM idempotency_record
      WHERE scope = $1 AND idem_key = $2
      """;

  static final String PRUNE_CONTROL_PLANE = """
      DELETE FROM idempotency_record
      WHERE created_at < now() - interval '24 hours'
      """;

  private IdempotencySql() {
  }
}
