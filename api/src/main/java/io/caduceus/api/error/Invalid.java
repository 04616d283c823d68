package io.caduceus.api.error;

import java.util.List;

/** The request breaks a rule the contract alone cannot express (for example an end before a start). */
public final class Invalid extends DomainException {

  private final List<FieldError> errors;

  public Invalid(String pointer, String detail) {
    super(detail);
    this.errors = List.of(new FieldError(pointer, detail));
  }

  /** Several fields failed; {@code detail} sums them up. */
  public Invalid(String detail, List<FieldError> errors) {
    super(detail);
    this.errors = List.copyOf(errors);
  }

  @Override
  public int status() {
    return 400;
  }

  @Override
  public String type() {
    return "invalid";
  }

  @Override
  public String title() {
    return "Invalid request";
  }

  @Override
  public List<FieldError> errors() {
    return errors;
  }
}
