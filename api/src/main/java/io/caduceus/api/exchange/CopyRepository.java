package io.caduceus.api.exchange;

import io.caduceus.api.error.NotFound;
import io.caduceus.api.sql.Listing;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The lookups every repository of exchanged copies has, each over its own statements: a copy by id, the same copy
 * locked for the transaction, and this tenant's copy of the other tenant's item. It runs on the connection it is
 * given.
 */
public abstract class CopyRepository<T extends ExchangedCopy> {

  private final String find;
  private final String lock;
  private final String byCounterpart;
  private final Function<Row, T> fromRow;
  private final String missing;

  /** {@code byCounterpart} takes the other tenant and the other copy's id; {@code missing} is the 404's detail. */
  protected CopyRepository(String find, String lock, String byCounterpart, Function<Row, T> fromRow, String missing) {
    this.find = find;
    this.lock = lock;
    this.byCounterpart = byCounterpart;
    this.fromRow = fromRow;
    this.missing = missing;
  }

  /**
   * The listing of a table of exchanged copies, {@code alias} naming it in {@code columns}, oldest first: filters
   * direction, status and patient (each null for any), one statement per shape ({@link Listing}).
   */
  public static Listing listing(String table, String alias, String columns) {
    return new Listing("SELECT " + columns + "\nFROM " + table + " " + alias,
        List.of(alias + ".direction", alias + ".status", alias + ".patient_id"), alias + ".created_at", alias + ".id",
        true);
  }

  /** One copy, with what loads with it. */
  public Future<T> find(SqlConnection conn, UUID id) {
    return one(conn, find, id);
  }

  /** One copy, locked for the rest of the transaction. */
  public Future<T> lock(SqlConnection conn, UUID id) {
    return one(conn, lock, id);
  }

  /** This tenant's copy of the other tenant's item, locked; empty if there is none. */
  public Future<Optional<T>> byCounterpart(SqlConnection conn, TenantId counterpartTenant, UUID counterpartId) {
    return conn.preparedQuery(byCounterpart).execute(Tuple.of(counterpartTenant.value(), counterpartId))
        .map(rows -> Rows.optional(rows, fromRow));
  }

  private Future<T> one(SqlConnection conn, String sql, UUID id) {
    return conn.preparedQuery(sql).execute(Tuple.of(id))
        .map(rows -> Rows.optional(rows, fromRow).orElseThrow(() -> new NotFound(missing)));
  }
}
