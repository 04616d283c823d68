package io.caduceus.routing.router;

import io.caduceus.routing.catalog.TokenRefused;

/**
 * A request the router answers itself with a problem document, having no node's answer to pass on: a refused
 * token, an unknown tenant, a region without a node, a body over the limit, or a request lost with its node after
 * it had been sent that cannot be repeated safely. Its message is the detail, in the router's own words.
 */
final class EdgeFailure extends RuntimeException {

  private static final String INVALID_TOKEN = "Bearer error=\"invalid_token\"";

  private final int status;
  private final String type;
  private final String title;
  private final String challenge;

  private EdgeFailure(int status, String type, String title, String detail, String challenge) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.challenge = challenge;
  }

  /** No such tenant, or a route the router does not forward. */
  static EdgeFailure notFound(String detail) {
    return new EdgeFailure(404, "urn:caduceus:problem:not-found", "Not found", detail, null);
  }

  /** The region cannot be served from here now; answered with Retry-After. */
  static EdgeFailure unavailable(String detail) {
    return new EdgeFailure(503, "urn:caduceus:problem:unavailable", "Service unavailable", detail, null);
  }

  /** A refused bearer token, with the challenge a node would send (only an expiry is told as such). */
  static EdgeFailure unauthorized(TokenRefused refused) {
    return switch (refused.reason()) {
      case MISSING -> new EdgeFailure(401, "urn:caduceus:problem:unauthorized", "Unauthorized",
          refused.getMessage(), "Bearer");
      case INVALID -> new EdgeFailure(401, "urn:caduceus:problem:unauthorized", "Unauthorized",
          refused.getMessage(), INVALID_TOKEN);
      case EXPIRED -> new EdgeFailure(401, "urn:caduceus:problem:token-expired", "Token expired",
          refused.getMessage(), INVALID_TOKEN + ", error_description=\"the access token expired\"");
    };
  }

  /** The request body is over the router's limit. */
  static EdgeFailure bodyTooLarge() {
    return new EdgeFailure(413, "about:blank", "Content too large", "the request body exceeds the limit", null);
  }

  /**
   * The node failed after the request was sent, and the request is not idempotent: it may or may not have taken
   * effect, so it is not repeated on another node. The client decides (an Idempotency-Key makes a retry safe).
   */
  static EdgeFailure lostInFlight() {
    return new EdgeFailure(502, "urn:caduceus:problem:bad-gateway", "Bad gateway",
        "the node serving this request failed before it answered; the request may or may not have taken effect",
        null);
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }

  String title() {
    return title;
  }

  /** The {@code WWW-Authenticate} value of a 401, else null. */
  String challenge() {
    return challenge;
  }
}
