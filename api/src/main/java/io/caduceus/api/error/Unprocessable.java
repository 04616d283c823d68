package io.caduceus.api.error;

import java.util.List;

/** The request is well-formed but cannot be applied as sent. */
public final class Unprocessable extends DomainException {

  private final List<FieldError> errors;

  public Unprocessable(String detail) {
    super(detail);
    this.errors = List.of();
  }

  /** The field at {@code pointer} cannot be applied as sent, for the reason {@code detail} gives. */
  public Unprocessable(String pointer, String detail) {
    super(detail);
    this.errors = List.of(new FieldError(pointer, detail));
  }

  /** Fields that break a rule only the server knows (a configuration namespace's schema); {@code detail} sums up. */
  public Unprocessable(String detail, List<FieldError> errors) {
    super(detail);
    this.errors = List.copyOf(errors);
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

  @Override
  public List<FieldError> errors() {
    return errors;
  }
}
