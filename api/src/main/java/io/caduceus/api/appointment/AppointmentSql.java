package io.caduceus.api.appointment;

import io.caduceus.routing.Keyset;

/** The appointment repository's SQL, in one place. */
final class AppointmentSql {

  // A virtual visit's session is read with it (one index probe per row, by the session's unique appointment).
  static final String COLUMNS = """
      id, patient_id, practitioner_id, starts_at, ends_at, status, reason, status_reason, version, created_at,
      updated_at, modality, (SELECT s.id FROM telehealth_session s
        WHERE s.tenant_id = appointment.tenant_id AND s.appointment_id = appointment.id) AS session_id""";

  /** Books only for a live patient and an active practitioner of this tenant (both checked under RLS). */
  static final String BOOK = """
      INSERT INTO appointment
        (tenant_id, id, patient_id, practitioner_id, starts_at, ends_at, reason, created_by, updated_by, modality)
      SELECT $1, $2, $3, $4, $5, $6, $7, $8, $8, $9
      WHERE EXISTS (SELECT 1 FROM patient WHERE id = $3 AND deleted_at IS NULL)
        AND EXISTS (SELECT 1 FROM practitioner WHERE id = $4 AND active)
      RETURNING %s""".formatted(COLUMNS);

  static final String PATIENT_EXISTS = "SELECT 1 FROM patient WHERE id = $1 AND deleted_at IS NULL";

  static final String FIND = "SELECT " + COLUMNS + " FROM appointment WHERE id = $1 AND deleted_at IS NULL";

  static final String FIND_FOR_UPDATE = FIND + " FOR UPDATE";

  static final String RESCHEDULE = """
      UPDATE appointment
      SET practitioner_id = $3, starts_at = $4, ends_at = $5, reason = $6, updated_by = $7, updated_at = now(),
        version = version + 1
      WHERE id = $1
        AND version = $2
        AND deleted_at IS NULL
        AND EXISTS (SELECT 1 FROM practitioner WHERE id = $3 AND active)
      RETURNING %s""".formatted(COLUMNS);

  static final String SET_STATUS = """
      UPDATE appointment
      SET status = $3, status_reason = $4, updated_by = $5, updated_at = now(), version = version + 1
      WHERE id = $1 AND version = $2
      RETURNING %s""".formatted(COLUMNS);

  static final String DELETE = """
      UPDATE appointment
      SET deleted_at = now(), updated_by = $2, updated_at = now(), version = version + 1
      WHERE id = $1 AND deleted_at IS NULL
      RETURNING %s""".formatted(COLUMNS);

  static final String LIST = """
      SELECT %s
      FROM appointment
      WHERE deleted_at IS NULL
        AND ($1::uuid IS NULL OR practitioner_id = $1)
        AND ($2::uuid IS NULL OR patient_id = $2)
        AND ($3::text IS NULL OR status = $3)
        AND starts_at >= CASE WHEN $4::timestamptz IS NULL THEN '-infinity' ELSE $4::timestamptz END
        AND starts_at < CASE WHEN $5::timestamptz IS NULL THEN 'infinity' ELSE $5::timestamptz END
        AND %s
      ORDER BY starts_at, id
      LIMIT $8""".formatted(COLUMNS, Keyset.after("starts_at", "id", 6, 7));

  private AppointmentSql() {
  }
}
