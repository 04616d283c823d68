package io.caduceus.api.error;

/** The change conflicts with the current state: a duplicate, a taken slot or a forbidden transition. */
public final class Conflict extends DomainException {

  public Conflict(String detail) {
    super(detail);
  }

  @Override
  public int status() {
    return 409;
  }

  @Override
  public String type() {
    return "conflict";
  }

  @Override
  public String title() {
    return "Conflict";
  }
}
