package io.caduceus.api.telehealth.video;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;

/**
 * One thing Twilio reported of a session's room: a participant connected or disconnected (with the identity its
 * access token named and Twilio's participant sid, and the kind of guest it is, if a guest), or the room ended.
 */
public record VideoParticipantEvent(String event, String identity, String participantSid, String roomSid,
                                    Instant occurredAt, String guestKind) {

  /** An event as a callback reports it: whether its identity is a guest's is known only when read back. */
  public VideoParticipantEvent(String event, String identity, String participantSid, String roomSid,
                               Instant occurredAt) {
    this(event, identity, participantSid, roomSid, occurredAt, null);
  }

  static VideoParticipantEvent fromRow(Row row) {
    return new VideoParticipantEvent(row.getString("event"), row.getString("identity"),
        row.getString("participant_sid"), row.getString("room_sid"), row.getOffsetDateTime("occurred_at").toInstant(),
        row.getString("guest_kind"));
  }

  /** The JSON of the participants listing. */
  public JsonObject toJson() {
    return new JsonObject().put("event", event).put("identity", identity).put("participantSid", participantSid)
        .put("roomSid", roomSid).put("occurredAt", occurredAt.toString()).put("guestKind", guestKind);
  }
}
