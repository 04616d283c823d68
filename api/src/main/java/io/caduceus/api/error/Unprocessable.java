package io.caduceus.api.error;

/** The request is well-formed but cannot be applied as sent. */
public final class Unprocessable extends DomainException {

  public Unprocessable(String detail) {
    super(detail);
  }

  @Override
  public int status() {
    return 422;
  }

  @Override
  public String type() {
    return "unprocessable";
  }

  @Override
  public String title() {
    return "Unprocessable content";
  }
}
