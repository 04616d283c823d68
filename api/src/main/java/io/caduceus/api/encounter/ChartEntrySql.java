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

  /** Newest first; filters as {@link ChartFilter#values()}, then the encounter's status (signed, for a patient). */
  static Listing listing(String select) {
    return new Listing(select, List.of("x.patient_id = ANY(%s)", "x.encounter_id", "x.code = ANY(%s)",
        "x.recorded_at >= %s", "x.recorded_at < %s", "e.status"), "x.recorded_at", "x.id", false);
  }

  private ChartEntrySql() {
  }
}
