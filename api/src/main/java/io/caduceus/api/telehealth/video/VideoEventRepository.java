package io.caduceus.api.telehealth.video;

import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The join/leave record of the sessions' rooms, as Twilio's status callbacks report it. */
final class VideoEventRepository {

  /** The session a room name belongs to: its id and patient. */
  record SessionRef(UUID sessionId, UUID patientId) {
  }

  /** The session of room {@code roomName}, if the tenant has one (RLS keeps the lookup to the tenant). */
  Future<Optional<SessionRef>> sessionOfRoom(SqlConnection conn, String roomName) {
    return conn.preparedQuery(VideoSql.SESSION_OF_ROOM).execute(Tuple.of(roomName)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new SessionRef(row.getUUID("id"), row.getUUID("patient_id")));
    });
  }

  /** The patient of the session, if the actor can see it (another tenant's, or another patient's, is not there). */
  Future<Optional<UUID>> patientOfSession(SqlConnection conn, UUID sessionId) {
    return conn.preparedQuery(VideoSql.SESSION_PATIENT).execute(Tuple.of(sessionId)).map(rows -> rows.size() == 0
        ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("patient_id")));
  }

  /** Records one callback; false when that room's sequence number was recorded before (a resent callback). */
  Future<Boolean> record(SqlConnection conn, SessionRef session, String roomSid, int sequence,
                         VideoParticipantEvent event) {
    return conn.preparedQuery(VideoSql.RECORD_EVENT).execute(Tuple.from(new Object[] {UuidV7.next(),
            session.sessionId(), session.patientId(), roomSid, sequence, event.event(), event.identity(),
            event.participantSid(), event.occurredAt().atOffset(ZoneOffset.UTC)}))
        .map(rows -> rows.rowCount() > 0);
  }

  /** The session's events, in the order they happened. */
  Future<List<VideoParticipantEvent>> ofSession(SqlConnection conn, UUID sessionId) {
    return conn.preparedQuery(VideoSql.EVENTS_OF_SESSION).execute(Tuple.of(sessionId)).map(rows -> {
      List<VideoParticipantEvent> events = new ArrayList<>();
      rows.forEach(row -> events.add(VideoParticipantEvent.fromRow(row)));
      return events;
    });
  }
}
