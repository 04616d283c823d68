package io.caduceus.api.error;

/** A dependency is unavailable; the request changed nothing and can be retried. */
public final class Unavailable extends DomainException {

  public Unavailable(String detail) {
    super(detail);
  }

  @Override
  public int status() {
    return 503;
  }

  @Override
  public String type() {
    return "unavailable";
  }

  @Override
  public String title() {
    return "Service unavailable";
  }
}
