package io.caduceus.routing.router;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** An answer the router writes itself (a problem, its health, a merged portal view): status, headers and body. */
record EdgeAnswer(int status, MultiMap headers, Buffer body) {

  /** Writes the answer, then lets the connection read the next request. */
  void send(HttpServerRequest request) {
    request.response().setStatusCode(status).headers().addAll(headers);
    request.response().end(body);
    request.resume();
  }
}
