package io.caduceus.api.error;

/**
 * No valid credentials, or the session they belong to has ended. It carries its {@code WWW-Authenticate}
 * challenge (RFC 6750): a refused bearer token says {@code invalid_token}, and only an expired one says why, so an
 * app knows to refresh it rather than log in again.
 */
public final class Unauthorized extends DomainException {

  private static final String INVALID_TOKEN = "Bearer error=\"invalid_token\"";

  private final String type;
  private final String title;
  private final String challenge;

  public Unauthorized(String detail) {
    this(detail, "unauthorized", "Unauthorized", "Bearer");
  }

  private Unauthorized(String detail, String type, String title, String challenge) {
    super(detail);
    this.type = type;
    this.title = title;
    this.challenge = challenge;
  }

  /** A bearer token that was presented and refused (its session ended, say). */
  public static Unauthorized invalidToken(String detail) {
    return new Unauthorized(detail, "unauthorized", "Unauthorized", INVALID_TOKEN);
  }

  /** A genuine access token past its expiry: the app should refresh it. */
  public static Unauthorized expiredToken() {
    return new Unauthorized("the access token expired; refresh it", "token-expired", "Token expired",
        INVALID_TOKEN + ", error_description=\"the access token expired\"");
  }

  /**
   * A valid token without a recent enough second factor for this operation: the app should step up
   * ({@code POST /v1/auth/step-up}) and retry. The challenge is RFC 9470's.
   */
  public static Unauthorized stepUpRequired(long maxAgeSeconds) {
    return new Unauthorized("this operation needs a second factor verified in the last " + maxAgeSeconds / 60
        + " minutes; step up and retry", "step-up-required", "Step-up required",
        "Bearer error=\"insufficient_user_authentication\", error_description=\"a recent second factor is"
            + " required\", max_age=" + maxAgeSeconds);
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
    return type;
  }

  @Override
  public String title() {
    return title;
  }
}
