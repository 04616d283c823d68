package io.caduceus.api.live;

import io.caduceus.api.error.Invalid;
import io.vertx.core.json.JsonObject;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.UUID;

/**
 * One subscription of a live socket: its client-chosen id and what it watches. {@code session} and {@code chat}
 * name a session; {@code waiting-room} a clinician's ({@code practitionerId}) or, without one, the tenant's.
 * Pushes for one subscription never overlap: a change that arrives during a push makes one more push after it.
 */
final class LiveSubscription {

  static final String SESSION = "session";
  static final String WAITING_ROOM = "waiting-room";
  static final String CHAT = "chat";
  /** Chat messages remembered as delivered, so a re-read after a change pushes only new ones. */
  private static final int REMEMBERED = 500;

  final String id;
  final String topic;
  final UUID sessionId;
  final UUID practitionerId;
  private final LinkedHashSet<UUID> delivered = new LinkedHashSet<>();
  boolean pushing;
  boolean again;

  private LiveSubscription(String id, String topic, UUID sessionId, UUID practitionerId) {
    this.id = id;
    this.topic = topic;
    this.sessionId = sessionId;
    this.practitionerId = practitionerId;
  }

  /** The subscription a {@code subscribe} frame asks for; fails with {@link Invalid} naming the bad field. */
  static LiveSubscription of(JsonObject frame) {
    String id = text(frame, "id");
    if (id == null || id.isEmpty() || id.length() > 64) {
      throw new Invalid("/id", "is required: 1 to 64 characters");
    }
    String topic = text(frame, "topic");
    if (SESSION.equals(topic) || CHAT.equals(topic)) {
      return new LiveSubscription(id, topic, uuid(frame, "sessionId", true), null);
    }
    if (WAITING_ROOM.equals(topic)) {
      return new LiveSubscription(id, topic, null, uuid(frame, "practitionerId", false));
    }
    throw new Invalid("/topic", "must be one of session, waiting-room, chat");
  }

  /** Whether a change concerns what this subscription shows. */
  boolean concerns(LiveChange change) {
    return switch (topic) {
      case SESSION -> LiveChange.SESSION.equals(change.topic()) && change.sessionId().equals(sessionId);
      case WAITING_ROOM -> LiveChange.SESSION.equals(change.topic())
          && (practitionerId == null || practitionerId.equals(change.practitionerId()));
      default -> LiveChange.CHAT.equals(change.topic()) && change.sessionId().equals(sessionId);
    };
  }

  /** Records a chat message as delivered; false if it already was. */
  boolean deliver(UUID messageId) {
    if (!delivered.add(messageId)) {
      return false;
    }
    if (delivered.size() > REMEMBERED) {
      Iterator<UUID> oldest = delivered.iterator();
      oldest.next();
      oldest.remove();
    }
    return true;
  }

  static String text(JsonObject frame, String field) {
    Object value = frame.getValue(field);
    return value instanceof String s ? s : null;
  }

  private static UUID uuid(JsonObject frame, String field, boolean required) {
    String value = text(frame, field);
    if (value == null && !required && !frame.containsKey(field)) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (RuntimeException e) {
      throw new Invalid("/" + field, required ? "is required: a UUID" : "is not a UUID");
    }
  }
}
