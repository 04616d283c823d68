package io.caduceus.api.error;

/** No such resource in the active tenant (or it belongs to another tenant: the answer is the same). */
public final class NotFound extends DomainException {

  public NotFound(String detail) {
    super(detail);
  }

  @Override
  public int status() {
    return 404;
  }

  @Override
  public String type() {
    return "not-found";
  }

  @Override
  public String title() {
    return "Not found";
  }
}
