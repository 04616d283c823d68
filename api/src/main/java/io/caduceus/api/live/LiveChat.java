package io.caduceus.api.live;

import io.caduceus.api.telehealth.chat.ChatMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The frames of a chat subscription: a {@code snapshot} of the latest messages when it starts, then one
 * {@code chat} frame per message not yet delivered. Each push re-reads the latest messages rather than "those after
 * the last one seen": two messages may commit in the opposite order of their timestamps, and a message that commits
 * late still arrives.
 */
final class LiveChat {

  private LiveChat() {
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
