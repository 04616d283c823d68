package io.caduceus.api.edge;

/**
 * A request the router answers itself, with no node's answer to pass on: a body over the limit, or a request that
 * was lost with its node after it had been sent and cannot be repeated safely.
 */
final class EdgeFailure extends RuntimeException {

  private final int status;
  private final String type;
  private final String title;

  private EdgeFailure(int status, String type, String title, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
  }

  /** The request body is over the router's limit. */
  static EdgeFailure bodyTooLarge() {
    return new EdgeFailure(413, "about:blank", "Content too large", "the request body exceeds the limit");
  }

  /**
   * The node failed after the request was sent, and the request is not idempotent: it may or may not have taken
   * effect, so it is not repeated on another node. The client decides (an Idempotency-Key makes a retry safe).
   */
  static EdgeFailure lostInFlight() {
    return new EdgeFailure(502, "urn:caduceus:problem:bad-gateway", "Bad gateway",
        "the node serving this request failed before it answered; the request may or may not have taken effect");
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
}
