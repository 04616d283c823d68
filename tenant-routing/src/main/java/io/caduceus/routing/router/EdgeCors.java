package io.caduceus.routing.router;

import io.caduceus.routing.web.Cors;
import io.caduceus.routing.web.WebOrigins;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * CORS on the router's own answers (a refused token, an unknown tenant, a region without nodes, a body too large,
 * the merged portal view), by the nodes' rules for an answer that belongs to no tenant, so a browser app can read
 * them as it reads a node's. A node's answer passes through with the CORS headers the node chose; preflights go to
 * a node like any request.
 */
final class EdgeCors {

  private final WebOrigins origins;

  EdgeCors(WebOrigins origins) {
    this.origins = origins;
  }

  /** Adds, when the response's headers go out, the CORS headers the node did not already set. */
  void onAnswer(HttpServerRequest request) {
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    request.response().headersEndHandler(v -> {
      MultiMap headers = request.response().headers();
      if (!headers.contains(HttpHeaders.VARY)) {
        headers.set(HttpHeaders.VARY, "Origin");
      }
      if (origin != null && !headers.contains(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)
          && origins.allowsAnywhere(origin)) {
        Cors.allowReading(headers, origin, origins);
      }
    });
  }
}
