package io.caduceus.api.live;

import io.caduceus.api.error.DomainException;

/**
 * The close codes of a live socket (RFC 6455 leaves 4000-4999 to applications). Every close by the server follows
 * an {@code error} frame that says why, except 1001 when the node stops. A client reconnects after any close but
 * 4403, with a fresh token after 4401 or 4408, and resubscribes: the first frames it gets are the current state.
 */
public final class LiveClose {

  /** The node is stopping: reconnect (to another node) at once. */
  public static final short GOING_AWAY = 1001;
  /** The token was refused, expired without renewal, or its session ended (logout, suspension of the user). */
  public static final short UNAUTHORIZED = 4401;
  /** The tenant is suspended, its region is not served here, or the page's origin is not allowed for it. */
  public static final short FORBIDDEN = 4403;
  /** No {@code auth} frame (and no Authorization header) within the time allowed after connecting. */
  public static final short AUTH_TIMEOUT = 4408;
  /** An unexpected failure of the server: reconnect with backoff. */
  public static final short INTERNAL = 1011;

  private LiveClose() {
  }

  /** The close code that goes with an authentication failure. */
  public static short of(Throwable failure) {
    if (failure instanceof DomainException domain) {
      return switch (domain.status()) {
        case 401 -> UNAUTHORIZED;
        case 403 -> FORBIDDEN;
        default -> INTERNAL;
      };
    }
    return INTERNAL;
  }
}
