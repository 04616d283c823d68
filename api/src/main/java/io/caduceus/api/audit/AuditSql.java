package io.caduceus.api.audit;

import io.caduceus.api.sql.Listing;

import java.util.List;

/**
 * The audit trail's SQL, in one place.
 *
 * <p>Transaction ids ({@code xid8}) are compared and ordered in the database as {@code xid8}, and cross into Java as
 * a {@code bigint} under a name of their own ({@code chain_txid}): PostgreSQL resolves a bare {@code ORDER BY txid}
 * to an output column of that name before the table's column, so {@code txid::text AS txid ... ORDER BY txid} once
 * sorted the chain as text ("10000" before "9999"). Every {@code ORDER BY} here also names its table.
 * Parameters come back the same way: {@code $1::bigint::text::xid8}. (An xid8 outgrows a bigint only after 2^63
 * transactions.)
 */
final class AuditSql {

  /**
   * Stores an event. Its purpose is decided here, as the row is written: {@code emergency_access} when the actor holds
   * an emergency access in force to one of the event's patients (one index probe of V31's in-force key; none for an
   * event about no patient), so every read in a break-glass window is marked, whichever path wrote its record.
   */
  static final String INSERT = """
      INSERT INTO audit_event (tenant_id, id, occurred_at, actor_user_id, actor_roles, action, resource_type,
        resource_id, patient_ids, outcome, request_id, client_address, partner_tenant_id, purpose)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
        CASE WHEN cardinality($9::uuid[]) > 0 AND EXISTS (SELECT 1 FROM emergency_access a
          WHERE a.tenant_id = $1 AND a.user_id = $4 AND a.patient_id = ANY ($9::uuid[])
            AND a.expires_at > now() AND a.ended_at IS NULL) THEN 'emergency_access' END)""";

  /** The columns of an {@link AuditRecord}, read from {@code audit_event e}. */
  static final String COLUMNS = """
      e.id, e.txid::text::bigint AS chain_txid, e.occurred_at, e.actor_user_id, e.actor_roles, e.action,
      e.resource_type, e.resource_id, e.patient_ids, e.outcome, e.request_id, e.client_address,
      e.partner_tenant_id, e.tenant_id, e.purpose""";

  // Every statement names the tenant as well: row-level security is the guard, this is the belt.
  static final String LIST = """
      SELECT %s
      FROM audit_event e
      WHERE e.tenant_id = $9
        AND ($1::uuid IS NULL OR e.patient_ids @> ARRAY[$1::uuid])
        AND ($2::uuid IS NULL OR e.actor_user_id = $2)
        AND ($3::text IS NULL OR e.action = $3)
        AND ($4::timestamptz IS NULL OR e.occurred_at >= $4)
        AND ($5::timestamptz IS NULL OR e.occurred_at < $5)
        AND (e.occurred_at, e.id) < (CASE WHEN $6::timestamptz IS NULL THEN 'infinity' ELSE $6::timestamptz END,
          CASE WHEN $7::uuid IS NULL THEN 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid ELSE $7::uuid END)
      ORDER BY e.occurred_at DESC, e.id DESC
      LIMIT $8""".formatted(COLUMNS);

  /**
   * The FHIR search of the trail ({@link AuditSearch}), newest first: the tenant always; the other filters (any of
   * some patients, anyone but one user, a half-open range of times) each only when given, one statement per shape.
   */
  static final Listing SEARCH = new Listing("SELECT %s\nFROM audit_event e".formatted(COLUMNS), List.of("e.tenant_id",
      "e.patient_ids && %s::uuid[]", "e.actor_user_id <> %s", "e.occurred_at >= %s", "e.occurred_at < %s"),
      "e.occurred_at", "e.id", false);

  /** One event of the tenant by id. */
  static final String ONE = """
      SELECT %s
      FROM audit_event e
      WHERE e.tenant_id = $1 AND e.id = $2""".formatted(COLUMNS);

  static final String UNSEALED_TENANTS = "SELECT {schema}.audit_unsealed_tenants() AS tenant_id";

  /** The per-tenant lock sealers and repairs share; the sealer only tries it, a repair waits for it. */
  static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(hashtextextended($1::text, 7)) AS locked";
  static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended($1::text, 7))";

  /**
   * Where the next seal goes on from: the last seal, or the last repair when no seal follows it yet (its anchor is
   * the last good link's event, its hash the link to chain from).
   */
  static final String HEAD = """
      SELECT h.seq, h.last_txid::text::bigint AS last_chain_txid, h.last_event_id, h.seal_hash
      FROM (
        (SELECT s.seq, s.last_txid, s.last_event_id, s.seal_hash, 0 AS pick
         FROM audit_seal s WHERE s.tenant_id = $1 ORDER BY s.seq DESC LIMIT 1)
        UNION ALL
        (SELECT r.last_seal, r.anchor_txid, r.anchor_event_id, r.repair_hash, 1
         FROM audit_repair r WHERE r.tenant_id = $1 ORDER BY r.seq DESC LIMIT 1)) h
      ORDER BY h.seq DESC, h.pick DESC
      LIMIT 1""";

  /**
   * After the chain position in $1 (a transaction id) and $2 (an event id), or from the chain's start when they are
   * null. Written so that the bound is always an index condition on {@code audit_event_chain}: the statements are
   * prepared once, and in PostgreSQL's generic plan a "{@code $1 IS NULL OR (e.txid, e.id) > ...}" bound is only a
   * filter, so every sealer batch walked the tenant's whole chain from its first event (301 ms instead of 6 ms at
   * 90,000 events, and a read throughput that fell as the table grew). Under row-level security only a leakproof
   * condition may drive an index, and PostgreSQL counts COALESCE and casts through text as leaky: the transaction
   * id is cast once in a scalar subquery (an init plan, a plain parameter to the scan) and the event id is
   * defaulted with CASE. Transaction 0 never writes a row.
   */
  private static final String AFTER_IN_CHAIN = """
      (e.txid, e.id) > ((SELECT coalesce($1::bigint, 0)::text::xid8),
        CASE WHEN $2::uuid IS NULL THEN '00000000-0000-0000-0000-000000000000'::uuid ELSE $2::uuid END)""";

  static final String NEXT_EVENTS = """
      SELECT %s
      FROM audit_event e
      WHERE e.tenant_id = $4
        AND e.txid < pg_snapshot_xmin(pg_current_snapshot())
        AND %2$s
      ORDER BY e.txid, e.id
      LIMIT $3""".formatted(COLUMNS, AFTER_IN_CHAIN);

  static final String INSERT_SEAL = """
      INSERT INTO audit_seal
        (tenant_id, seq, last_txid, last_event_id, event_ids, event_hashes, prev_hash, seal_hash)
      VALUES ($1, $2, $3::bigint::text::xid8, $4, $5, $6, $7, $8)""";

  /** The columns of a {@link StoredSeal}, read from {@code audit_seal s}. */
  static final String SEAL_COLUMNS = """
      s.seq, s.last_txid::text::bigint AS last_chain_txid, s.last_event_id, s.event_ids, s.event_hashes,
      s.prev_hash, s.seal_hash""";

  static final String SEALS = """
      SELECT %s
      FROM audit_seal s
      WHERE s.tenant_id = $3 AND s.seq > $1
      ORDER BY s.seq
      LIMIT $2""".formatted(SEAL_COLUMNS);

  static final String SEALS_BETWEEN = """
      SELECT %s
      FROM audit_seal s
      WHERE s.tenant_id = $1 AND s.seq BETWEEN $2 AND $3
      ORDER BY s.seq""".formatted(SEAL_COLUMNS);

  static final String SEALED_RANGE = """
      SELECT %s
      FROM audit_event e
      WHERE e.tenant_id = $5
        AND %2$s
        AND (e.txid, e.id) <= ($3::bigint::text::xid8, $4::uuid)
      ORDER BY e.txid, e.id""".formatted(COLUMNS, AFTER_IN_CHAIN);

  static final String COUNT_AFTER = """
      SELECT count(*) AS n
      FROM audit_event e
      WHERE e.tenant_id = $3 AND %2$s""".formatted(COLUMNS, AFTER_IN_CHAIN);

  /** Each asked-for event as stored (all columns null when it is not), and the seals that list it. */
  static final String LOOKUP = """
      SELECT q.id AS asked, %s,
        ARRAY(SELECT s.seq FROM audit_seal s WHERE s.tenant_id = $1 AND s.event_ids @> ARRAY[q.id] ORDER BY s.seq)
          AS listed_in
      FROM unnest($2::uuid[]) AS q(id)
      LEFT JOIN audit_event e ON e.tenant_id = $1 AND e.id = q.id""".formatted(COLUMNS);

  static final String REPAIR_COLUMNS = """
      r.tenant_id, r.seq, r.id, r.first_seal, r.last_seal, r.anchor_txid::text::bigint AS anchor_chain_txid,
      r.anchor_event_id, r.anchor_hash, r.superseded_digest, r.breaks, r.reason, r.repaired_by, r.repaired_at,
      r.request_id, r.repair_hash""";

  static final String REPAIRS = """
      SELECT %s
      FROM audit_repair r
      WHERE r.tenant_id = $1
      ORDER BY r.seq""".formatted(REPAIR_COLUMNS);

  static final String REPAIR = """
      SELECT %s
      FROM audit_repair r
      WHERE r.tenant_id = $1 AND r.id = $2""".formatted(REPAIR_COLUMNS);

  /** What a repair must know under the lock: the last seal, and how far earlier repairs reached. */
  static final String REPAIR_STATE = """
      SELECT (SELECT max(s.seq) FROM audit_seal s WHERE s.tenant_id = $1) AS head,
        (SELECT max(r.seq) FROM audit_repair r WHERE r.tenant_id = $1) AS repairs,
        (SELECT max(r.last_seal) FROM audit_repair r WHERE r.tenant_id = $1) AS repaired_to""";

  static final String INSERT_REPAIR = """
      INSERT INTO audit_repair (tenant_id, seq, id, first_seal, last_seal, anchor_txid, anchor_event_id,
        anchor_hash, superseded_digest, breaks, reason, repaired_by, repaired_at, request_id, repair_hash)
      VALUES ($1, $2, $3, $4, $5, $6::bigint::text::xid8, $7, $8, $9, $10, $11, $12, $13, $14, $15)""";

  private AuditSql() {
  }
}
