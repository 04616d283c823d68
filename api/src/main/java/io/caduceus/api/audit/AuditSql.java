package io.caduceus.api.audit;

/** The audit trail's SQL, in one place. */
final class AuditSql {

  static final String INSERT = "INSERT INTO audit_event (tenant_id, id, occurred_at, actor_user_id, actor_roles,"
      + " action, resource_type, resource_id, patient_ids, outcome, request_id, client_address, partner_tenant_id)"
      + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

  static final String COLUMNS = "id, txid::text AS txid, occurred_at, actor_user_id, actor_roles, action,"
      + " resource_type, resource_id, patient_ids, outcome, request_id, client_address, partner_tenant_id, tenant_id";

  // Every statement names the tenant as well: row-level security is the guard, this is the belt.
  static final String LIST = "SELECT " + COLUMNS + " FROM audit_event"
      + " WHERE tenant_id = $9 AND ($1::uuid IS NULL OR patient_ids @> ARRAY[$1::uuid])"
      + " AND ($2::uuid IS NULL OR actor_user_id = $2)"
      + " AND ($3::text IS NULL OR action = $3)"
      + " AND ($4::timestamptz IS NULL OR occurred_at >= $4)"
      + " AND ($5::timestamptz IS NULL OR occurred_at < $5)"
      + " AND ($6::timestamptz IS NULL OR (occurred_at, id) < ($6, $7))"
      + " ORDER BY occurred_at DESC, id DESC LIMIT $8";

  static final String UNSEALED_TENANTS = "SELECT {schema}.audit_unsealed_tenants() AS tenant_id";

  static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(hashtextextended($1::text, 7)) AS locked";

  static final String HEAD = "SELECT seq, last_txid::text AS last_txid, last_event_id, seal_hash FROM audit_seal"
      + " WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1";

  static final String NEXT_EVENTS = "SELECT " + COLUMNS + " FROM audit_event"
      + " WHERE tenant_id = $4 AND txid < pg_snapshot_xmin(pg_current_snapshot())"
      + " AND ($1::text IS NULL OR (txid, id) > ($1::text::xid8, $2::uuid))"
      + " ORDER BY txid, id LIMIT $3";

  static final String INSERT_SEAL = "INSERT INTO audit_seal (tenant_id, seq, last_txid, last_event_id, event_ids,"
      + " event_hashes, prev_hash, seal_hash) VALUES ($1, $2, $3::text::xid8, $4, $5, $6, $7, $8)";

  static final String SEALS = "SELECT seq, last_txid::text AS last_txid, last_event_id, event_ids, event_hashes,"
      + " prev_hash, seal_hash FROM audit_seal WHERE tenant_id = $3 AND seq > $1 ORDER BY seq LIMIT $2";

  static final String SEALED_RANGE = "SELECT " + COLUMNS + " FROM audit_event"
      + " WHERE tenant_id = $5 AND ($1::text IS NULL OR (txid, id) > ($1::text::xid8, $2::uuid))"
      + " AND (txid, id) <= ($3::text::xid8, $4::uuid) ORDER BY txid, id";

  static final String COUNT_AFTER = "SELECT count(*) AS n FROM audit_event"
      + " WHERE tenant_id = $3 AND ($1::text IS NULL OR (txid, id) > ($1::text::xid8, $2::uuid))";

  private AuditSql() {
  }
}
