package io.caduceus.api.error;

/** The change needs If-Match, so a lost update cannot happen silently. */
public final class PreconditionRequired extends DomainException {

  public PreconditionRequired(String detail) {
    super(detail);
  }

  @Override
  public int status() {
    return 428;
  }

  @Override
  public String type() {
    return "precondition-required";
  }

  @Override
  public String title() {
    return "Precondition required";
  }
}
