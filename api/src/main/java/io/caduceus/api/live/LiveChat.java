package io.caduceus.api.live;

import io.caduceus.api.error.Invalid;
import io.caduceus.api.telehealth.chat.ChatMessage;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/**
 * The frames of a chat subscription: a {@code snapshot} of the latest messages when it starts, then one
 * {@code chat} frame per message not yet delivered. Each push re-reads the latest messages rather than "those after
 * the last one seen": two messages may commit in the opposite order of their timestamps, and a message that commits
 * late still arrives.
 */
final class LiveChat {

  private LiveChat() {
  }

  /**
   * Sends the message a {@code send} frame carries as {@code ctx}; completes (never fails) with the frame that
   * answers it: {@code ack} once the message has committed, or the {@code error} REST would have answered.
   */
  static Future<JsonObject> send(LiveReads reads, TenantContext ctx, JsonObject frame) {
    String clientId = LiveSubscription.text(frame, "clientId");
    UUID session;
    try {
      session = UUID.fromString(LiveSubscription.text(frame, "sessionId"));
    } catch (RuntimeException e) {
      return Future.succeededFuture(LiveFrames.error(new Invalid("/sessionId", "is required: a UUID"), clientId));
    }
    return reads.send(ctx, session, clientId, LiveSubscription.text(frame, "body")).transform(sent ->
        Future.succeededFuture(sent.succeeded() ? new JsonObject().put("type", "ack").put("clientId", clientId)
            .put("id", sent.result().id().toString()).put("sessionId", session.toString())
            .put("createdAt", sent.result().createdAt().toString()) : LiveFrames.error(sent.cause(), clientId)));
  }

  /** The frame to push after reading {@code latest} (oldest first), or null when nothing is new. */
  static JsonObject frame(LiveSubscription sub, List<ChatMessage> latest, boolean first) {
    JsonArray fresh = new JsonArray();
    latest.stream().filter(m -> sub.deliver(m.id())).forEach(m -> fresh.add(m.toJson()));
    if (first) {
      return new JsonObject().put("type", "snapshot").put("id", sub.id).put("topic", LiveSubscription.CHAT)
          .put("sessionId", sub.sessionId.toString()).put("messages", fresh);
    }
    if (fresh.isEmpty()) {
      return null;
    }
    // One frame per push; a burst of several new messages arrives as one frame with each of them, in order.
    return new JsonObject().put("type", "chat").put("id", sub.id).put("sessionId", sub.sessionId.toString())
        .put("messages", fresh);
  }
}
