package io.caduceus.api.http;

import io.caduceus.routing.RequestStage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Sends replies; the only place a success response is written. */
public final class Replies {

  static final String JSON = "application/json";

  private Replies() {
  }

  /**
   * Sends a reply. A GET whose {@code If-None-Match} names the reply's ETag answers 304 without the body: the
   * client's copy is current (the read was still authorised and audited).
   */
  public static void send(RoutingContext rc, Reply reply) {
    if (reply.status() == 201 && !reply.headers().containsKey("Location")) {
      // A bug, not a client's fault: every creation says where its resource is (ContractConventionsTest, LocationTest).
      rc.fail(new IllegalStateException("a 201 reply without Location"));
      return;
    }
    write(rc, reply);
  }

  private static void write(RoutingContext rc, Reply reply) {
    HttpServerResponse response = rc.response().setStatusCode(reply.status());
    reply.headers().forEach(response::putHeader);
    if (notModified(rc, reply)) {
      response.setStatusCode(304).end();
    } else if (reply.encoded() != null) {
      response.end(reply.encoded()); // sent as encoded: never parsed into JSON and encoded again
    } else if (reply.body() == null) {
      response.end();
    } else {
      RequestStage json = RequestStages.start(rc, "json");
      Buffer body = reply.body().toBuffer();
      json.finish();
      if (!reply.headers().containsKey("Content-Type")) {
        response.putHeader("Content-Type", JSON);
      }
      response.end(body);
    }
  }

  private static boolean notModified(RoutingContext rc, Reply reply) {
    String etag = reply.headers().get("ETag");
    return reply.status() == 200 && etag != null && rc.request().method() == HttpMethod.GET
        && ETags.matchesAny(rc.request().getHeader("If-None-Match"), etag);
  }

  /** Sends a replayed reply. */
  public static void replay(RoutingContext rc, Reply reply) {
    rc.response().putHeader("Idempotent-Replayed", "true");
    write(rc, reply); // as stored, even a 201 stored before every creation named its Location
  }
}
