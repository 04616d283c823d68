package io.caduceus.api.error;

/**
 * No valid credentials, or the session they belong to has ended. It carries its {@code WWW-Authenticate}
 * challenge (RFC 6750): a refused bearer token says {@code invalid_token}, and only an expired one says why, so an
 * app knows to refresh it rather than log in again.
 */
public final class Unauthorized extends DomainException {

  private static final String INVALID_TOKEN = "Bearer error=\"invalid_token\"";

  private final boolean expired;
  private final String challenge;

  public Unauthorized(String detail) {
    this(detail, false, "Bearer");
  }

  private Unauthorized(String detail, boolean expired, String challenge) {
    super(detail);
    this.expired = expired;
    this.challenge = challenge;
  }

  /** A bearer token that was presented and refused (its session ended, say). */
  public static Unauthorized invalidToken(String detail) {
    return new Unauthorized(detail, false, INVALID_TOKEN);
  }

  /** A genuine access token past its expiry: the app should refresh it. */
  public static Unauthorized expiredToken() {
    return new Unauthorized("the access token expired; refresh it", true,
        INVALID_TOKEN + ", error_description=\"the access token expired\"");
  }

  /** The {@code WWW-Authenticate} header value. */
  public String challenge() {
    return challenge;
  }

  @Override
  public int status() {
    return 401;
  }

  @Override
  public String type() {
    return expired ? "token-expired" : "unauthorized";
  }

  @Override
  public String title() {
    return expired ? "Token expired" : "Unauthorized";
  }
}
