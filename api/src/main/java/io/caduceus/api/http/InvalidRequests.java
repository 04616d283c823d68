package io.caduceus.api.http;

import io.caduceus.routing.UuidV7;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Answers a request the HTTP decoder refused before any route saw it (a request line or headers past the server's
 * limits, or no valid HTTP at all) with a problem document, like every other error, instead of Vert.x's empty
 * answer. Nothing of the request is echoed: its URI may be thousands of characters of anything.
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    String requestId = UuidV7.next().toString();
    JsonObject problem;
    if (cause instanceof TooLongHttpLineException) {
      problem = problem(414, "URI too long", "the request line is longer than the server reads; send fewer or shorter"
          + " query parameters", requestId);
    } else if (cause instanceof TooLongHttpHeaderException) {
      problem = problem(431, "Request header fields too large", "the request headers are larger than the server reads",
          requestId);
    } else {
      problem = problem(400, "Bad request", "the request is not well-formed HTTP", requestId);
    }
    request.response().setStatusCode(problem.getInteger("status"))
        .putHeader(HttpHeaders.CONTENT_TYPE, ProblemHandler.PROBLEM_JSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, CacheDefaults.NO_STORE)
        .putHeader("X-Request-Id", requestId)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(problem.toBuffer());
  }

  private static JsonObject problem(int status, String title, String detail, String requestId) {
    return new JsonObject().put("type", "about:blank").put("title", title).put("status", status).put("detail", detail)
        .put("requestId", requestId);
  }
}
