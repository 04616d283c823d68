package io.caduceus.api.edge;

import io.caduceus.api.error.DomainException;
import io.caduceus.api.error.Unauthorized;
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
    if (failure instanceof DomainException domain) {
      if (domain.status() == 503) {
        headers.add("Retry-After", Long.toString(retryAfterSeconds));
      }
      if (domain instanceof Unauthorized unauthorized) {
        headers.add("WWW-Authenticate", unauthorized.challenge());
      }
      return problem(domain.status(), "urn:caduceus:problem:" + domain.type(), domain.title(), domain.getMessage(),
          path, requestId, headers);
    }
    if (failure instanceof EdgeFailure edge) {
      if (edge.status() == 413) {
        headers.add("Connection", "close");
      }
      return problem(edge.status(), edge.type(), edge.title(), edge.getMessage(), path, requestId, headers);
    }
    LOG.warn("request {} could not be routed: {}", requestId, failure.getClass().getName());
    headers.add("Retry-After", Long.toString(retryAfterSeconds));
    return problem(503, "urn:caduceus:problem:unavailable", "Service unavailable",
        "the router cannot place this request now; retry shortly", path, requestId, headers);
  }

  private static EdgeAnswer problem(int status, String type, String title, String detail, String path,
                                 String requestId, MultiMap headers) {
    JsonObject body = new JsonObject().put("type", type).put("title", title).put("status", status)
        .put("detail", detail).put("instance", path).put("requestId", requestId);
    return new EdgeAnswer(status, headers, body.toBuffer());
  }
}
