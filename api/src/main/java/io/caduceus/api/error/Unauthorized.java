package io.caduceus.api.error;

/** No valid credentials, or the session they belong to has ended. */
public final class Unauthorized extends DomainException {

  public Unauthorized(String detail) {
    super(detail);
  }

  @Override
  public int status() {
    return 401;
  }

  @Override
  public String type() {
    return "unauthorized";
  }

  @Override
  public String title() {
    return "Unauthorized";
  }
}
