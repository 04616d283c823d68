package io.caduceus.routing.router;

import io.caduceus.routing.catalog.TokenRefused;
import io.caduceus.routing.web.RequestIds;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's own answers, as RFC 9457 problem documents shaped like the nodes' ({@code type}, {@code title},
 * {@code status}, {@code detail}, {@code instance}, {@code requestId}). Details are the router's own words; nothing
 * of a request's content, and no exception text or stack trace, reaches a client or the log.
 */
final class EdgeProblems {

  static final String PROBLEM_JSON = "application/problem+json";
  private static final Logger LOG = LoggerFactory.getLogger(EdgeProblems.class);

  private EdgeProblems() {
  }

  /** The answer for a failure; an unexpected one (the control plane is down, say) is a 503, logged by class. */
  static EdgeAnswer of(Throwable failure, String path, String requestId, long retryAfterSeconds) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", PROBLEM_JSON)
        .add("Cache-Control", "no-store").add(RequestIds.HEADER, requestId);
    EdgeFailure edge = failure instanceof TokenRefused refused ? EdgeFailure.unauthorized(refused)
        : failure instanceof EdgeFailure known ? known : null;
    if (edge == null) {
      LOG.warn("request {} could not be routed: {}", requestId, failure.getClass().getName());
      edge = EdgeFailure.unavailable("the router cannot place this request now; retry shortly");
    }
    if (edge.status() == 503) {
      headers.add("Retry-After", Long.toString(retryAfterSeconds));
    }
    if (edge.challenge() != null) {
      headers.add("WWW-Authenticate", edge.challenge());
    }
    if (edge.status() == 413) {
      headers.add("Connection", "close");
    }
    JsonObject body = new JsonObject().put("type", edge.type()).put("title", edge.title()).put("status", edge.status())
        .put("detail", edge.getMessage()).put("instance", path).put("requestId", requestId);
    return new EdgeAnswer(edge.status(), headers, body.toBuffer());
  }
}
