package io.caduceus.api.edge;

import io.caduceus.routing.UuidV7;
import io.vertx.core.http.HttpServerRequest;

import java.util.regex.Pattern;

/**
 * Gives every request an id at the edge, the caller's {@code X-Request-Id} when well-formed (the same rule as the
 * nodes'), and forwards it, so one id names the request in the router's and the node's logs.
 */
final class RequestIds {

  static final String HEADER = "X-Request-Id";
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._-]{8,64}");

  private RequestIds() {
  }

  /** The request's id, set on the request (to be forwarded) if it had none or a malformed one. */
  static String ensure(HttpServerRequest request) {
    String given = request.getHeader(HEADER);
    if (given != null && ACCEPTED.matcher(given).matches()) {
      return given;
    }
    String id = UuidV7.next().toString();
    request.headers().set(HEADER, id);
    return id;
  }
}
