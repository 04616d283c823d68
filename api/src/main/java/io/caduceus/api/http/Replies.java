package io.caduceus.api.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Sends replies; the only place a success response is written. */
public final class Replies {

  static final String JSON = "application/json";

  private Replies() {
  }

  /** Sends a reply, marking it when it was replayed from an earlier request with the same Idempotency-Key. */
  public static void send(RoutingContext rc, Reply reply) {
    HttpServerResponse response = rc.response().setStatusCode(reply.status());
    reply.headers().forEach(response::putHeader);
    if (reply.body() == null) {
      response.end();
    } else {
      response.putHeader("Content-Type", JSON).end(reply.body().toBuffer());
    }
  }

  /** Sends a replayed reply. */
  public static void replay(RoutingContext rc, Reply reply) {
    rc.response().putHeader("Idempotent-Replayed", "true");
    send(rc, reply);
  }
}
