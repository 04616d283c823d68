package io.caduceus.notifications.outbox;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * A message a domain write triggers. Messages with the same {@code orderingKey} (for example an appointment id)
 * are delivered in the order their transactions committed.
 */
public record OutboxMessage(String topic, String orderingKey, JsonObject payload) {

  public OutboxMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(orderingKey, "orderingKey");
    Objects.requireNonNull(payload, "payload");
  }
}
