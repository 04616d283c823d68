package io.caduceus.api.live;

import io.caduceus.api.http.AccessLog;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.web.WebOrigins;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.IntConsumer;

/**
 * {@code GET /v1/live}: upgrades to a live socket. It runs after the request id, access log and CORS handlers but
 * outside the contract's JSON pipeline. A browser page's {@code Origin} must be one the deployment allows (or, once
 * the token names the tenant, one that tenant allows), so another site cannot open a socket with a user's token.
 * The token comes in the {@code Authorization} header or the first frame, never the URL (URLs are logged).
 */
public final class LiveRoute implements Handler<RoutingContext> {

  /** The path of the live socket. */
  public static final String PATH = "/v1/live";

  private final LiveHub hub;
  private final LiveAuth auth;
  private final LiveReads reads;
  private final LiveSettings settings;
  private final WebOrigins origins;

  public LiveRoute(LiveHub hub, LiveAuth auth, LiveReads reads, LiveSettings settings, WebOrigins origins) {
    this.hub = hub;
    this.auth = auth;
    this.reads = reads;
    this.settings = settings;
    this.origins = origins;
  }

  @Override
  public void handle(RoutingContext rc) {
    rc.put(AccessLog.OPERATION, "openLiveSocket");
    if (rc.request().method() != HttpMethod.GET) {
      refuse(rc, 405, "about:blank", "Method not allowed", "the live socket is opened with GET");
      rc.response().putHeader(HttpHeaders.ALLOW, "GET");
      return;
    }
    if (!"websocket".equalsIgnoreCase(rc.request().getHeader(HttpHeaders.UPGRADE))) {
      rc.response().putHeader(HttpHeaders.UPGRADE, "websocket");
      refuse(rc, 426, "about:blank", "Upgrade required", "this path is a WebSocket (see asyncapi.yaml)");
      return;
    }
    String origin = rc.request().getHeader(HttpHeaders.ORIGIN);
    if (origin != null && !origins.allowsAnywhere(origin)) {
      refuse(rc, 403, "urn:caduceus:problem:forbidden", "Forbidden", "this origin may not open live sockets");
      return;
    }
    String header = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
        : null;
    String requestId = Requests.requestId(rc);
    String address = Requests.clientAddress(rc);
    rc.request().toWebSocket().onSuccess(ws -> {
      IntConsumer accessLog = rc.get(AccessLog.RECORD_NOW);
      if (accessLog != null) {
        accessLog.accept(101);
      }
      new LiveSocket(ws, rc.vertx().getOrCreateContext(), hub, auth, reads, settings, origins, origin, requestId,
          address).start(token);
    });
  }

  private static void refuse(RoutingContext rc, int status, String type, String title, String detail) {
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
        .end(new JsonObject().put("type", type).put("title", title).put("status", status).put("detail", detail)
            .put("instance", PATH).put("requestId", Requests.requestId(rc)).toBuffer());
  }
}
