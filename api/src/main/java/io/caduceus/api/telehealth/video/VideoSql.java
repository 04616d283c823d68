package io.caduceus.api.telehealth.video;

/** The SQL of the video rooms, the tenant's video account and the participants' record. */
final class VideoSql {

  private VideoSql() {
  }

  /** Records a room just opened, or answers the open room of that name ($1 name, $2 provider, $3 sid, $4 max). */
  static final String OPEN_ROOM = """
      INSERT INTO telehealth_video_room (tenant_id, room_name, provider, room_sid, max_participants)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4)
      ON CONFLICT (tenant_id, room_name) WHERE completed_at IS NULL
      DO UPDATE SET room_name = EXCLUDED.room_name
      RETURNING provider, room_sid, room_name""";

  /** Closes the record of a room of this name the provider no longer holds open ($1 name, $2 the sid it holds). */
  static final String SUPERSEDE_ROOM = """
      UPDATE telehealth_video_room SET completed_at = now()
      WHERE room_name = $1 AND room_sid <> $2 AND completed_at IS NULL""";

  /** Marks a room completed; a room completed before keeps its first time. */
  static final String COMPLETE_ROOM = """
      UPDATE telehealth_video_room SET completed_at = coalesce(completed_at, now())
      WHERE room_sid = $1""";

  /** Records a participant the provider was asked to disconnect ($1 id, $2 provider, $3 room sid, $4 identity). */
  static final String RECORD_DISCONNECT = """
      INSERT INTO telehealth_video_disconnect (tenant_id, id, provider, room_sid, identity)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4)""";

  /** The session a room of this name belongs to. */
  static final String SESSION_OF_ROOM = """
      SELECT id, patient_id FROM telehealth_session WHERE room_name = $1""";

  /** The patient of a session the actor can see (RLS: the tenant's, and for a patient, their own). */
  static final String SESSION_PATIENT = "SELECT patient_id FROM telehealth_session WHERE id = $1";

  /** Records one status callback once ($1 id, $2 session, $3 patient, $4 room sid, $5 sequence, ...). */
  static final String RECORD_EVENT = """
      INSERT INTO telehealth_video_event (tenant_id, id, session_id, patient_id, room_sid, sequence_number, event,
        identity, participant_sid, occurred_at)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5, $6, $7, $8, $9)
      ON CONFLICT (tenant_id, room_sid, sequence_number) DO NOTHING""";

  /** A session's join/leave record, in the order it happened, naming the kind of guest an identity is. */
  static final String EVENTS_OF_SESSION = """
      SELECT e.event, e.identity, e.participant_sid, e.room_sid, e.occurred_at,
        (SELECT g.kind FROM telehealth_guest g WHERE g.tenant_id = e.tenant_id AND g.session_id = e.session_id
          AND (e.identity = 'guest:' || g.id::text OR e.identity = g.user_id::text)
          ORDER BY g.invited_at DESC LIMIT 1) AS guest_kind
      FROM telehealth_video_event e
      WHERE e.session_id = $1 ORDER BY e.occurred_at, e.room_sid, e.sequence_number""";

  static final String UPSERT_CREDENTIAL = """
      INSERT INTO telehealth_video_credential (tenant_id, sealed, summary, updated_at, updated_by)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, now(), $3)
      ON CONFLICT (tenant_id) DO UPDATE SET sealed = $1, summary = $2, updated_at = now(), updated_by = $3
      RETURNING summary, updated_at""";

  static final String FIND_CREDENTIAL = "SELECT sealed FROM telehealth_video_credential";

  static final String CREDENTIAL_SUMMARY = "SELECT summary, updated_at FROM telehealth_video_credential";

  static final String DELETE_CREDENTIAL = "DELETE FROM telehealth_video_credential";
}
