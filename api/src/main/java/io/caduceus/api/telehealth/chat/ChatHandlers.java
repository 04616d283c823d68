package io.caduceus.api.telehealth.chat;

import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/** The {@code /v1/telehealth/sessions/{sessionId}/messages} operations. */
public final class ChatHandlers {

  private final ChatService chat;
  private final Idempotency idempotency;

  public ChatHandlers(ChatService chat, Idempotency idempotency) {
    this.chat = chat;
    this.idempotency = idempotency;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("sendTelehealthMessage", this::send);
    ops.bind("listTelehealthMessages", this::list);
    ops.bind("getTelehealthMessage", rc -> chat.get(Requests.tenant(rc), Requests.pathUuid(rc, "sessionId"),
        Requests.pathUuid(rc, "messageId")).map(m -> Reply.ok(m.toJson())));
  }

  private Future<Reply> send(RoutingContext rc) {
    UUID session = Requests.pathUuid(rc, "sessionId");
    JsonObject body = Requests.body(rc);
    return idempotency.inTransaction(rc, Requests.tenant(rc), joined -> chat.send(joined, session,
            body.getString("clientId"), body.getString("body"))
        .map(m -> Reply.created(location(m), m.toJson()).about(m.patientId())));
  }

  private Future<Reply> list(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    return chat.list(ctx, Requests.pathUuid(rc, "sessionId"), Requests.queryInt(rc, "limit", 50),
            Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(ChatMessage::toJson)));
  }

  private static String location(ChatMessage m) {
    return "/v1/telehealth/sessions/" + m.sessionId() + "/messages/" + m.id();
  }
}
