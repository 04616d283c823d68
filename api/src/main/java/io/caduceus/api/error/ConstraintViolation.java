package io.caduceus.api.error;

import io.vertx.pgclient.PgException;

/** Recognises a database constraint by name, so services can turn it into the right domain failure. */
public final class ConstraintViolation {

  private ConstraintViolation() {
  }

  /** Whether {@code failure} is a violation of the named constraint. */
  public static boolean of(Throwable failure, String constraint) {
    return failure instanceof PgException pg && constraint.equals(pg.getConstraint());
  }
}
