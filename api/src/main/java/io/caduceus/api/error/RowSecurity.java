package io.caduceus.api.error;

import io.vertx.pgclient.PgException;

/**
 * Recognises PostgreSQL refusing a row under row-level security (SQLSTATE 42501, "new row violates row-level
 * security policy"): the actor tried to write a row outside its tenant or, for a patient, outside their own record.
 * A grant missing on a table is the same SQLSTATE with another message, and stays a bug.
 */
public final class RowSecurity {

  private RowSecurity() {
  }

  /** Whether {@code failure} is a row-level security refusal. */
  public static boolean refused(Throwable failure) {
    return failure instanceof PgException pg && "42501".equals(pg.getSqlState())
        && pg.getErrorMessage() != null && pg.getErrorMessage().contains("row-level security");
  }
}
