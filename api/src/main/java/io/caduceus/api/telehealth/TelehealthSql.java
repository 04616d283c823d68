package io.caduceus.api.telehealth;

/** The telehealth repository's SQL, in one place. Every statement runs under the tenant's row-level security. */
final class TelehealthSql {

  private static final String SETTINGS_COLUMNS = """
      virtual_visits, check_in_lead_minutes, max_participants, colleagues_may_admit, version, updated_at""";

  static final String SETTINGS = "SELECT " + SETTINGS_COLUMNS + " FROM telehealth_settings";

  /** The tenant's effective "telehealth" keys, projected from the configuration store: a new version each time. */
  static final String SETTINGS_PUT = """
      INSERT INTO telehealth_settings
        (tenant_id, virtual_visits, check_in_lead_minutes, max_participants, colleagues_may_admit, updated_by)
      VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (tenant_id) DO UPDATE
        SET virtual_visits = EXCLUDED.virtual_visits, check_in_lead_minutes = EXCLUDED.check_in_lead_minutes,
          max_participants = EXCLUDED.max_participants, colleagues_may_admit = EXCLUDED.colleagues_may_admit,
          updated_by = EXCLUDED.updated_by, updated_at = now(), version = telehealth_settings.version + 1
      RETURNING %s""".formatted(SETTINGS_COLUMNS);

  /** Opens the session of a virtual visit, sized by the tenant's setting. */
  static final String SESSION_OPEN = """
      INSERT INTO telehealth_session
        (tenant_id, id, appointment_id, patient_id, practitioner_id, max_participants, room_name)
      VALUES ($1, $2, $3, $4, $5, $6, $7)""";

  /**
   * A session as the acting user ($2) sees it: with its slot, its clinician, its patient's name, its encounter, the
   * actor's own active practitioner profile and the tenant's rules ($2 may be any user: the joins only add names),
   * how many guests hold a seat (not revoked, and a code not yet expired) and whether the actor is a staff guest.
   */
  static final String SESSION = """
      SELECT s.id, s.appointment_id, s.patient_id, s.practitioner_id, s.status, s.patient_location,
        s.max_participants, s.room_name, s.video_provider, s.room_sid, s.checked_in_at, s.admitted_at, s.admitted_by,
        s.ended_at, s.version, s.updated_at, a.starts_at, a.ends_at,
        pr.user_id AS clinician_user_id, pr.given_name AS clinician_given, pr.family_name AS clinician_family,
        p.given_name AS patient_given, p.family_name AS patient_family,
        (SELECT e.id FROM encounter e WHERE e.tenant_id = s.tenant_id AND e.appointment_id = s.appointment_id)
          AS encounter_id,
        v.id AS viewer_practitioner_id, v.given_name AS viewer_given, v.family_name AS viewer_family,
        coalesce(st.check_in_lead_minutes, 15) AS check_in_lead_minutes,
        (SELECT count(*) FROM telehealth_guest g WHERE g.tenant_id = s.tenant_id AND g.session_id = s.id
          AND g.revoked_at IS NULL AND (g.code_hash IS NULL OR g.redeemed_at IS NOT NULL OR g.code_expires_at > now()))
          ::int AS guest_count,
        EXISTS (SELECT 1 FROM telehealth_guest g WHERE g.tenant_id = s.tenant_id AND g.session_id = s.id
          AND g.user_id = $2 AND g.revoked_at IS NULL) AS viewer_is_guest,
        coalesce(st.colleagues_may_admit, false) AS colleagues_may_admit
      FROM telehealth_session s
      JOIN appointment a ON a.tenant_id = s.tenant_id AND a.id = s.appointment_id
      JOIN practitioner pr ON pr.tenant_id = s.tenant_id AND pr.id = s.practitioner_id
      JOIN patient p ON p.tenant_id = s.tenant_id AND p.id = s.patient_id
      LEFT JOIN practitioner v ON v.tenant_id = s.tenant_id AND v.user_id = $2 AND v.active
      LEFT JOIN telehealth_settings st ON st.tenant_id = s.tenant_id
      WHERE s.id = $1""";

  static final String SESSION_FOR_UPDATE = SESSION + " FOR UPDATE OF s";

  static final String CHECK_IN = """
      UPDATE telehealth_session
      SET status = 'waiting', patient_location = $2, checked_in_at = now(), updated_at = now(), version = version + 1
      WHERE id = $1""";

  static final String ADMIT = """
      UPDATE telehealth_session
      SET status = 'in_progress', admitted_at = now(), admitted_by = $2, video_provider = $3, room_sid = $4,
        max_participants = $5, updated_at = now(), version = version + 1
      WHERE id = $1""";

  static final String END = """
      UPDATE telehealth_session
      SET status = 'ended', ended_at = now(), ended_by = $2, updated_at = now(), version = version + 1
      WHERE id = $1""";

  static final String SET_STATUS = """
      UPDATE telehealth_session SET status = $2, updated_at = now(), version = version + 1 WHERE id = $1""";

  /**
   * The session of a changed appointment follows it: its clinician, a final state, or waiting when the front desk
   * checked the patient in (only from scheduled); a final session stays as it is.
   */
  static final String FOLLOW = """
      UPDATE telehealth_session
      SET practitioner_id = $2, status = coalesce($3, status),
        checked_in_at = CASE WHEN $3 = 'waiting' THEN now() ELSE checked_in_at END,
        updated_at = now(), version = version + 1
      WHERE appointment_id = $1 AND status NOT IN ('ended', 'no_show', 'cancelled')
        AND ($3::text IS DISTINCT FROM 'waiting' OR status = 'scheduled')
        AND (practitioner_id <> $2 OR $3::text IS NOT NULL)
      RETURNING id, practitioner_id""";

  static final String STATUS_OF_APPOINTMENT = "SELECT id, status FROM telehealth_session WHERE appointment_id = $1";

  /** Moves the session's appointment to $2 if it is in one of the states $4; answers what a notice needs. */
  static final String APPOINTMENT_STATUS = """
      UPDATE appointment
      SET status = $2, updated_by = $3, updated_at = now(), version = version + 1
      WHERE id = $1 AND deleted_at IS NULL AND status = ANY($4::text[])
      RETURNING id, patient_id, practitioner_id, starts_at, ends_at, status, modality""";

  /** Opens the visit's encounter as a telehealth encounter, or marks the one already opened as telehealth. */
  static final String ENCOUNTER_VIRTUAL = """
      INSERT INTO encounter (tenant_id, id, appointment_id, patient_id, practitioner_id, opened_by, modality)
      SELECT s.tenant_id, $2, s.appointment_id, s.patient_id, s.practitioner_id, $3, 'virtual'
      FROM telehealth_session s
      WHERE s.id = $1
      ON CONFLICT (tenant_id, appointment_id) DO UPDATE
        SET modality = 'virtual', updated_at = now(), version = encounter.version + 1
        WHERE encounter.modality <> 'virtual'""";

  /** The waiting room, in order of arrival: a clinician's ($1), or the tenant's (null). */
  static final String WAITING = """
      SELECT s.id, s.appointment_id, s.patient_id, s.practitioner_id, s.checked_in_at, s.patient_location,
        a.starts_at, a.reason, p.given_name AS patient_given, p.family_name AS patient_family,
        pr.given_name AS clinician_given, pr.family_name AS clinician_family
      FROM telehealth_session s
      JOIN appointment a ON a.tenant_id = s.tenant_id AND a.id = s.appointment_id
      JOIN patient p ON p.tenant_id = s.tenant_id AND p.id = s.patient_id
      JOIN practitioner pr ON pr.tenant_id = s.tenant_id AND pr.id = s.practitioner_id
      WHERE s.status = 'waiting' AND ($1::uuid IS NULL OR s.practitioner_id = $1)
      ORDER BY s.checked_in_at, s.id
      LIMIT $2""";

  private TelehealthSql() {
  }
}
