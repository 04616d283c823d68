package io.caduceus.routing.catalog;

/**
 * A bearer token the API does not accept: none was sent, it is not valid, or it is genuine but past its expiry (the
 * one case a client is told, so that it refreshes rather than logs in again). Its message is the detail a client
 * reads; it records no stack trace: it is an answer, not a bug.
 */
public final class TokenRefused extends RuntimeException {

  /** Why the token was refused. */
  public enum Reason { MISSING, INVALID, EXPIRED }

  private static final String REQUIRED = "a valid bearer token is required";

  private final Reason reason;

  private TokenRefused(Reason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  /** No bearer token was sent. */
  public static TokenRefused missing() {
    return new TokenRefused(Reason.MISSING, REQUIRED);
  }

  /** A token was sent and is not valid; why is not said. */
  public static TokenRefused invalid() {
    return new TokenRefused(Reason.INVALID, REQUIRED);
  }

  /** A genuine access token past its expiry. */
  public static TokenRefused expired() {
    return new TokenRefused(Reason.EXPIRED, "the access token expired; refresh it");
  }

  /** Why the token was refused. */
  public Reason reason() {
    return reason;
  }
}
