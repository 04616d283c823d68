package io.caduceus.api.error;

/** The caller's role may not do this, or the request names a tenant other than the active one. */
public final class Forbidden extends DomainException {

  private final String type;

  public Forbidden(String detail) {
    this(detail, "forbidden");
  }

  private Forbidden(String detail, String type) {
    super(detail);
    this.type = type;
  }

  /** A session that owes a second factor its tenant's policy requires: it may only enrol or verify one. */
  public static Forbidden mfaRequired() {
    return new Forbidden("your organisation requires multi-factor authentication: enrol an authenticator"
        + " (POST /v1/auth/mfa/totp) or verify one (POST /v1/auth/step-up) first", "mfa-required");
  }

  /** A module the tenant has switched off, or its plan leaves out: its operations answer this (issue 16). */
  public static Forbidden moduleDisabled(String module) {
    return new Forbidden("the module " + module + " is not on for your organisation", "module-disabled");
  }

  @Override
  public int status() {
    return 403;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public String title() {
    return "Forbidden";
  }
}
