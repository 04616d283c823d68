package io.caduceus.api.error;

/** The If-Match version is no longer current. */
public final class PreconditionFailed extends DomainException {

  public PreconditionFailed(String detail) {
    super(detail);
  }

  @Override
  public int status() {
    return 412;
  }

  @Override
  public String type() {
    return "precondition-failed";
  }

  @Override
  public String title() {
    return "Precondition failed";
  }
}
