package io.caduceus.api.encounter;

import io.caduceus.api.sql.Listing;

import java.util.List;

/** The encounter repository's SQL, in one place. Every statement runs under the tenant's row-level security. */
final class EncounterSql {

  private static final String HEADER_COLUMNS = """
      e.id, e.appointment_id, e.patient_id, e.practitioner_id, e.status, e.notes, e.opened_by, e.opened_at,
      e.signed_by, e.signed_at, e.version, e.updated_at, e.modality""";

  // The entries come back as JSON arrays in the same round trip, in the order they were recorded.
  private static final String ENTRIES = """
      , (SELECT coalesce(jsonb_agg(jsonb_build_object('id', o.id, 'code', o.code, 'display', o.display,
        'value', o.value, 'unit', o.unit, 'recordedBy', o.recorded_by, 'recordedAt', o.recorded_at)
        ORDER BY o.recorded_at, o.id), '[]'::jsonb)
       FROM observation o WHERE o.tenant_id = e.tenant_id AND o.encounter_id = e.id) AS vitals,
      (SELECT coalesce(jsonb_agg(jsonb_build_object('id', d.id, 'code', d.code, 'display', d.display,
        'recordedBy', d.recorded_by, 'recordedAt', d.recorded_at) ORDER BY d.recorded_at, d.id), '[]'::jsonb)
       FROM diagnosis d WHERE d.tenant_id = e.tenant_id AND d.encounter_id = e.id) AS diagnoses,
      (SELECT coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'code', p.code, 'display', p.display,
        'quantity', p.quantity, 'recordedBy', p.recorded_by, 'recordedAt', p.recorded_at)
        ORDER BY p.recorded_at, p.id), '[]'::jsonb)
       FROM procedure_performed p WHERE p.tenant_id = e.tenant_id AND p.encounter_id = e.id) AS procedures,
      (SELECT coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'text', a.text, 'author', a.author,
        'createdAt', a.created_at) ORDER BY a.created_at, a.id), '[]'::jsonb)
       FROM addendum a WHERE a.tenant_id = e.tenant_id AND a.encounter_id = e.id) AS addenda""";

  // A virtual visit's encounter names its telehealth session, whose chat is part of the visit's record.
  private static final String SESSION = """
      , (SELECT s.id FROM telehealth_session s WHERE s.tenant_id = e.tenant_id AND s.appointment_id = e.appointment_id)
        AS telehealth_session_id""";

  static final String FULL = "SELECT " + HEADER_COLUMNS + ENTRIES + SESSION + " FROM encounter e WHERE e.id = $1";

  /**
   * An encounter's versions (headers), newest first: the row's own (the current version), then the earlier ones V27's
   * trigger copied into encounter_version, read back as encounter rows; below $2, written at or after $3 (null: any),
   * at most $4, with status $5 (null: any).
   */
  static final String VERSIONS = """
      SELECT * FROM (
        SELECT %1$s FROM encounter e WHERE e.id = $1
        UNION ALL
        SELECT %1$s FROM (SELECT (jsonb_populate_record(NULL::encounter, v.snapshot)).* FROM encounter_version v
          WHERE v.encounter_id = $1 AND v.version < $2) e
      ) x
      WHERE version < $2 AND ($3::timestamptz IS NULL OR updated_at >= $3) AND ($5::text IS NULL OR status = $5)
      ORDER BY version DESC
      LIMIT $4""".formatted(HEADER_COLUMNS);

  static final String OPEN = """
      INSERT INTO encounter (tenant_id, id, appointment_id, patient_id, practitioner_id, opened_by)
      SELECT $1, $2, a.id, a.patient_id, a.practitioner_id, $3
      FROM appointment a
      WHERE a.id = $4 AND a.deleted_at IS NULL AND a.status IN ('booked', 'checked_in')
      RETURNING id""";

  static final String APPOINTMENT_STATUS = "SELECT status FROM appointment WHERE id = $1 AND deleted_at IS NULL";

  static final String LOCK = "SELECT id, patient_id, status, version FROM encounter WHERE id = $1 FOR UPDATE";

  // The change that runs these moves the version on once, with TOUCH.
  static final String NOTES = "UPDATE encounter SET notes = $2 WHERE id = $1";

  static final String TOUCH = "UPDATE encounter SET version = version + 1, updated_at = now() WHERE id = $1";

  static final String SIGN = """
      UPDATE encounter
      SET status = 'signed', signed_by = $2, signed_at = now()
      WHERE id = $1""";

  static final String ADD_VITAL = """
      INSERT INTO observation (tenant_id, id, encounter_id, patient_id, code, display, value, unit, recorded_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""";

  static final String CORRECT_VITAL = """
      UPDATE observation SET value = $3, unit = $4
      WHERE encounter_id = $1 AND id = $2 AND code = $5""";

  static final String ADD_DIAGNOSIS = """
      INSERT INTO diagnosis (tenant_id, id, encounter_id, patient_id, code, display, recorded_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7)""";

  static final String ADD_PROCEDURE = """
      INSERT INTO procedure_performed
        (tenant_id, id, encounter_id, patient_id, code, display, quantity, recorded_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";

  static final String ADD_ADDENDUM = """
      INSERT INTO addendum (tenant_id, id, encounter_id, patient_id, text, author)
      VALUES ($1, $2, $3, $4, $5, $6)""";

  static final String REMOVE_VITAL = "DELETE FROM observation WHERE encounter_id = $1 AND id = $2";
  static final String REMOVE_DIAGNOSIS = "DELETE FROM diagnosis WHERE encounter_id = $1 AND id = $2";
  static final String REMOVE_PROCEDURE = "DELETE FROM procedure_performed WHERE encounter_id = $1 AND id = $2";

  /** Newest first; filters patient, status. */
  static final Listing LIST = new Listing("SELECT " + HEADER_COLUMNS + "\nFROM encounter e",
      List.of("e.patient_id", "e.status"), "e.opened_at", "e.id", false);

  /**
   * Newest first, for FHIR search; filters any of the patients, status, practitioner, opened from/before, updated
   * from/before.
   */
  static final Listing SEARCH = new Listing("SELECT " + HEADER_COLUMNS + "\nFROM encounter e",
      List.of("e.patient_id = ANY(%s)", "e.status", "e.practitioner_id", "e.opened_at >= %s", "e.opened_at < %s",
          "e.updated_at >= %s", "e.updated_at < %s"), "e.opened_at", "e.id", false);

  /** The acting user's active practitioner profile, as an order names its orderer. */
  static final String ORDERER = """
      SELECT given_name, family_name, npi
      FROM practitioner
      WHERE user_id = $1 AND active
      """;

  static final String OF_PATIENT = """
      SELECT status
      FROM encounter
      WHERE id = $1 AND patient_id = $2
      """;

  private EncounterSql() {
  }
}
