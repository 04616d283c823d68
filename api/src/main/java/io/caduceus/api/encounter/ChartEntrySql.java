package io.caduceus.api.encounter;

import io.caduceus.api.sql.Listing;

import java.util.List;

/** The SQL of encounter entries read on their own. Every statement runs under the tenant's row-level security. */
final class ChartEntrySql {

  private static final String ENCOUNTER = """
      JOIN encounter e ON e.tenant_id = x.tenant_id AND e.id = x.encounter_id""";

  // A blood pressure is recorded as a systolic and a diastolic row in one statement (one recorded_at): it is read as
  // one entry, the systolic row's, carrying the diastolic value; a diastolic row with such a partner is not listed.
  static final String VITALS = """
      SELECT x.id, x.encounter_id, x.patient_id, x.code, x.display, x.value, x.unit, NULL::int AS quantity,
        x.recorded_by, x.recorded_at, e.status AS encounter_status, e.version AS encounter_version, d.id AS diastolic_id,
        d.value AS diastolic, d.unit AS diastolic_unit
      FROM observation x
      """ + ENCOUNTER + """
       AND NOT (x.code = '8462-4' AND EXISTS (SELECT 1 FROM observation s WHERE s.tenant_id = x.tenant_id
        AND s.encounter_id = x.encounter_id AND s.code = '8480-6' AND s.recorded_at = x.recorded_at))
      LEFT JOIN LATERAL (SELECT s.id, s.value, s.unit FROM observation s WHERE s.tenant_id = x.tenant_id
        AND s.encounter_id = x.encounter_id AND s.code = '8462-4' AND s.recorded_at = x.recorded_at
        ORDER BY s.id LIMIT 1) d ON x.code = '8480-6'""";

  static final String DIAGNOSES = """
      SELECT x.id, x.encounter_id, x.patient_id, x.code, x.display, NULL::numeric AS value, NULL AS unit,
        NULL::int AS quantity, x.recorded_by, x.recorded_at, e.status AS encounter_status,
        e.version AS encounter_version, NULL::uuid AS diastolic_id, NULL::numeric AS diastolic, NULL AS diastolic_unit
      FROM diagnosis x
      """ + ENCOUNTER;

  static final String PROCEDURES = """
      SELECT x.id, x.encounter_id, x.patient_id, x.code, x.display, NULL::numeric AS value, NULL AS unit,
        x.quantity, x.recorded_by, x.recorded_at, e.status AS encounter_status,
        e.version AS encounter_version, NULL::uuid AS diastolic_id, NULL::numeric AS diastolic, NULL AS diastolic_unit
      FROM procedure_performed x
      """ + ENCOUNTER;

  /**
   * A vital sign's versions, newest first, in the listing's columns. A vital sign carries its encounter's version, so
   * its versions are the encounter's (the row's own and the copies V27 keeps in encounter_version) from the one that
   * recorded it (the same transaction, so the same time) on; its values at version n are those of the first copy V27
   * kept at n or later (observation_version: the row as it was before a correction), else the row's own. $1 the
   * vital sign, $2 its encounter, $3 its diastolic partner (or null), below $4, written at or after $5 (or any), at
   * most $6, of the encounter status $7 only (or any).
   */
  static final String VITAL_VERSIONS = """
      WITH cur AS (SELECT * FROM observation WHERE id = $1 AND encounter_id = $2),
      versions AS (
        SELECT e.version, e.status, e.updated_at FROM encounter e WHERE e.id = $2
        UNION ALL
        SELECT v.version, v.snapshot->>'status', v.updated_at FROM encounter_version v WHERE v.encounter_id = $2),
      shown AS (
        SELECT v.* FROM versions v, cur
        WHERE v.updated_at >= cur.recorded_at AND v.version < $4 AND ($5::timestamptz IS NULL OR v.updated_at >= $5)
          AND ($7::text IS NULL OR v.status = $7)
        ORDER BY v.version DESC
        LIMIT $6)
      SELECT o.id, o.encounter_id, o.patient_id, o.code, o.display, o.value, o.unit, NULL::int AS quantity,
        o.recorded_by, o.recorded_at, s.status AS encounter_status, s.version AS encounter_version,
        d.id AS diastolic_id, d.value AS diastolic, d.unit AS diastolic_unit
      FROM shown s
      CROSS JOIN LATERAL (SELECT (jsonb_populate_record(NULL::observation, coalesce(
          (SELECT ov.snapshot FROM observation_version ov WHERE ov.observation_id = $1 AND ov.encounter_version >= s.version
            ORDER BY ov.encounter_version LIMIT 1),
          (SELECT to_jsonb(c) FROM cur c)))).*) o
      LEFT JOIN LATERAL (SELECT (jsonb_populate_record(NULL::observation, coalesce(
          (SELECT ov.snapshot FROM observation_version ov WHERE ov.observation_id = $3::uuid
            AND ov.encounter_version >= s.version ORDER BY ov.encounter_version LIMIT 1),
          (SELECT to_jsonb(c) FROM observation c WHERE c.id = $3::uuid)))).*) d ON $3::uuid IS NOT NULL
      ORDER BY s.version DESC""";

  /** Newest first; filters as {@link ChartFilter#values()}, then the encounter's status (signed, for a patient). */
  static Listing listing(String select) {
    return new Listing(select, List.of("x.patient_id = ANY(%s)", "x.encounter_id", "x.code = ANY(%s)",
        "x.recorded_at >= %s", "x.recorded_at < %s", "e.status"), "x.recorded_at", "x.id", false);
  }

  private ChartEntrySql() {
  }
}
