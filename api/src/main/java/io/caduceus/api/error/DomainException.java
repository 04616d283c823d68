package io.caduceus.api.error;

import java.util.List;

/**
 * A failure the client can act on, mapped to one problem document by the failure handler. Its detail must name
 * fields and ids only, never values a user typed (which may be PHI). It records no stack trace: it is an answer,
 * not a bug.
 */
public abstract sealed class DomainException extends RuntimeException
    permits NotFound, Conflict, Forbidden, Invalid, Unauthorized, PreconditionFailed, PreconditionRequired,
    TooManyRequests, Unprocessable, Unavailable {

  protected DomainException(String detail) {
    super(detail, null, false, false);
  }

  /** The HTTP status. */
  public abstract int status();

  /** The problem type's short name, for example {@code not-found}. */
  public abstract String type();

  /** The problem type's title. */
  public abstract String title();

  /** The fields that failed, if any. */
  public List<FieldError> errors() {
    return List.of();
  }

  /** One field that failed validation: where it is, and why. */
  public record FieldError(String pointer, String detail) {
  }
}
