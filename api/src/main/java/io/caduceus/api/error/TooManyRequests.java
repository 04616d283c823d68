package io.caduceus.api.error;

/** Too many attempts; the client should wait {@link #retryAfterSeconds()}. */
public final class TooManyRequests extends DomainException {

  private final long retryAfterSeconds;

  public TooManyRequests(String detail, long retryAfterSeconds) {
    super(detail);
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  /** How long to wait before trying again. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  @Override
  public int status() {
    return 429;
  }

  @Override
  public String type() {
    return "too-many-requests";
  }

  @Override
  public String title() {
    return "Too many requests";
  }
}
