package io.caduceus.notifications.engage;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A message to create. {@code idempotencyKey} names its cause ("event:{outbox id}:patient", "reminder:{appointment}
 * :{start}:1440"), so creating it again is a no-op. {@code subjectRef} names what it is about (an appointment), so a
 * later change can cancel it; {@code notBefore} and {@code expiresAt} bound when it may go out.
 */
public record NewMessage(String idempotencyKey, Topic topic, String source, String subjectRef,
                         RecipientKind recipientKind, UUID recipientId, JsonObject variables, boolean critical,
                         Instant notBefore, Instant expiresAt, UUID campaignId) {

  public NewMessage {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(recipientKind, "recipientKind");
    Objects.requireNonNull(recipientId, "recipientId");
    variables = variables == null ? new JsonObject() : variables;
  }

  /** A message sent on an event, as soon as the rules allow. */
  public static NewMessage onEvent(String key, Topic topic, String subjectRef, RecipientKind kind, UUID recipient,
                                   JsonObject variables, boolean critical) {
    return new NewMessage(key, topic, "event", subjectRef, kind, recipient, variables, critical, null, null, null);
  }
}
