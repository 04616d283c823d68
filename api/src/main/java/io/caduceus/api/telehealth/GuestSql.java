package io.caduceus.api.telehealth;

/** The SQL of a session's guests, in one place; every statement runs under the tenant's row-level security. */
final class GuestSql {

  private static final String COLUMNS = """
      g.id, g.session_id, g.patient_id, g.kind, g.user_id, g.display_name, g.code_expires_at, g.redeemed_at,
      g.invited_by, g.invited_at, g.revoked_at, s.status AS session_status""";

  private static final String FROM = """
      FROM telehealth_guest g JOIN telehealth_session s ON s.tenant_id = g.tenant_id AND s.id = g.session_id""";

  /** What a guest's pass needs of the session: its room, clinician and slot. */
  private static final String PASS = """
      , s.room_name, s.video_provider, s.room_sid, s.practitioner_id, a.ends_at AS slot_end
      FROM telehealth_guest g JOIN telehealth_session s ON s.tenant_id = g.tenant_id AND s.id = g.session_id
      JOIN appointment a ON a.tenant_id = s.tenant_id AND a.id = s.appointment_id""";

  /** Invites a guest ($1 id, $2 session, $3 patient, $4 kind, $5 user, $6 name, $7 code hash, $8 expiry, $9 by). */
  static final String INSERT = """
      INSERT INTO telehealth_guest (tenant_id, id, session_id, patient_id, kind, user_id, display_name, code_hash,
        code_expires_at, invited_by)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5, $6, $7, $8, $9)""";

  static final String ONE = "SELECT " + COLUMNS + " " + FROM + " WHERE g.session_id = $1 AND g.id = $2";

  /** A session's guests, in order of invitation. */
  static final String OF_SESSION = "SELECT " + COLUMNS + " " + FROM
      + " WHERE g.session_id = $1 ORDER BY g.invited_at, g.id";

  /** Revokes a guest; answers it if it was not revoked before. */
  static final String REVOKE = """
      UPDATE telehealth_guest SET revoked_at = now(), revoked_by = $3
      WHERE session_id = $1 AND id = $2 AND revoked_at IS NULL
      RETURNING id""";

  /** The guest a join code ($1, hashed) names, with what its session's room needs. */
  static final String BY_CODE = "SELECT " + COLUMNS + PASS + " WHERE g.code_hash = $1";

  /** The guest a guest key ($1, hashed) names, with what its session's room needs. */
  static final String BY_KEY = "SELECT " + COLUMNS + PASS + " WHERE g.key_hash = $1";

  /** Spends a join code for a key, if it is still unspent, unrevoked, and its visit in progress. */
  static final String REDEEM = """
      UPDATE telehealth_guest g SET redeemed_at = now(), key_hash = $3
      FROM telehealth_session s
      WHERE g.id = $1 AND g.code_hash = $2 AND g.redeemed_at IS NULL AND g.revoked_at IS NULL
        AND s.tenant_id = g.tenant_id AND s.id = g.session_id AND s.status = 'in_progress'
      RETURNING g.id""";

  /** The display name of a staff member's active practitioner profile in the tenant. */
  static final String STAFF_NAME = """
      SELECT given_name, family_name FROM practitioner WHERE user_id = $1 AND active ORDER BY id LIMIT 1""";

  private GuestSql() {
  }
}
