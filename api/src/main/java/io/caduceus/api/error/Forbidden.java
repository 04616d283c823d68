package io.caduceus.api.error;

/** The caller's role may not do this, or the request names a tenant other than the active one. */
public final class Forbidden extends DomainException {

  public Forbidden(String detail) {
    super(detail);
  }

  @Override
  public int status() {
    return 403;
  }

  @Override
  public String type() {
    return "forbidden";
  }

  @Override
  public String title() {
    return "Forbidden";
  }
}
