package io.caduceus.api.emergency;

import io.caduceus.routing.Keyset;

/** The SQL of emergency access (region V31's table, V37's existence check and audit marker), in one place. */
final class EmergencyAccessSql {

  static final String COLUMNS = "a.id, a.user_id, a.patient_id, a.reason, a.granted_at, a.expires_at, a.ended_at";

  /** Whether the tenant has the patient, which the scoped policy may hide from the caller (V37, a boolean only). */
  static final String PATIENT_ON_RECORD = "SELECT patient_on_record($1, $2) AS found";

  /** Serialises opening for one user and patient, so two concurrent requests cannot open two accesses. */
  static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended($1::uuid::text || $2::uuid::text || $3::uuid::text, 15))";

  static final String IN_FORCE = """
      SELECT %s
      FROM emergency_access a
      WHERE a.tenant_id = $1 AND a.user_id = $2 AND a.patient_id = $3 AND a.expires_at > now() AND a.ended_at IS NULL
      ORDER BY a.expires_at DESC
      LIMIT 1""".formatted(COLUMNS);

  /** Opens an access for the tenant's break-glass window (access_policy, V31; 60 minutes without a policy). */
  static final String INSERT = """
      INSERT INTO emergency_access AS a (tenant_id, id, user_id, patient_id, reason, expires_at)
      VALUES ($1, $2, $3, $4, $5, now() + make_interval(mins => coalesce(
        (SELECT p.break_glass_minutes FROM access_policy p WHERE p.tenant_id = $1), 60)))
      RETURNING %s""".formatted(COLUMNS);

  static final String ONE = """
      SELECT %s
      FROM emergency_access a
      WHERE a.tenant_id = $1 AND a.id = $2""".formatted(COLUMNS);

  /** The reason stated for one access, for its alert. */
  static final String REASON = "SELECT a.reason FROM emergency_access a WHERE a.tenant_id = $1 AND a.id = $2";

  /** Ends the user's ($3) access if it is still in force. */
  static final String END = """
      UPDATE emergency_access AS a SET ended_at = now()
      WHERE a.tenant_id = $1 AND a.id = $2 AND a.user_id = $3 AND a.ended_at IS NULL AND a.expires_at > now()
      RETURNING %s""".formatted(COLUMNS);

  /**
   * The report: accesses opened in [$2, $3) (either end open), newest first, before the cursor ($4, $5), each with
   * what its user did to its patient under it: the audit events marked {@code emergency_access} in its window (the
   * first 200, the access's own opening left out), read through V37's partial index.
   */
  static final String USES = """
      SELECT %s, (
        SELECT coalesce(jsonb_agg(jsonb_build_object('eventId', r.id, 'at', r.occurred_at, 'action', r.action,
            'resourceType', r.resource_type, 'resourceId', r.resource_id, 'outcome', r.outcome)
            ORDER BY r.occurred_at, r.id), '[]'::jsonb)
        FROM (
          SELECT e.id, e.occurred_at, e.action, e.resource_type, e.resource_id, e.outcome
          FROM audit_event e
          WHERE e.tenant_id = a.tenant_id AND e.actor_user_id = a.user_id AND e.purpose IS NOT NULL
            AND e.occurred_at >= a.granted_at AND e.occurred_at <= coalesce(a.ended_at, a.expires_at)
            AND e.patient_ids @> ARRAY[a.patient_id] AND e.action <> 'patient.emergency_access'
          ORDER BY e.occurred_at, e.id
          LIMIT 200) r) AS reads
      FROM emergency_access a
      WHERE a.tenant_id = $1
        AND a.granted_at >= CASE WHEN $2::timestamptz IS NULL THEN '-infinity'::timestamptz ELSE $2::timestamptz END
        AND a.granted_at < CASE WHEN $3::timestamptz IS NULL THEN 'infinity'::timestamptz ELSE $3::timestamptz END
        AND %s
      ORDER BY a.granted_at DESC, a.id DESC
      LIMIT $6""".formatted(COLUMNS, Keyset.before("a.granted_at", "a.id", 4, 5));

  private EmergencyAccessSql() {
  }
}
