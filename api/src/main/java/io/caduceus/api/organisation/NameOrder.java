package io.caduceus.api.organisation;

import io.caduceus.api.sql.Rows;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * A listing of groups in name order, keyed by (lower-cased name, id): a kind of group's own table, or the groups a
 * member or a patient is linked to. Its two statements (the first page, the page after a key) are built once from
 * this class's callers' constants, never from input; every value is a parameter.
 *
 * @param <T> the record a row maps to
 */
final class NameOrder<T extends NameOrder.Listed> {

  /** What a listed group shows of itself to the keyset. */
  interface Listed {

    /** The group's id. */
    UUID id();

    /** The group's name. */
    String name();
  }

  /** The listing's name, as its cursors are sealed for. */
  final String listing;
  private final Function<Row, T> mapper;
  private final boolean parented;
  /** The first page ([parent], limit). */
  private final String first;
  /** The page after a (lower-cased name, id) key ([parent], name, id, limit). */
  private final String after;

  /**
   * A listing of {@code select} (a SELECT ... FROM without WHERE) in the order of {@code name} and {@code id}, within
   * the value of the {@code parent} column ($1) when one is named.
   */
  NameOrder(String listing, String select, String parent, String name, String id, Function<Row, T> mapper) {
    this.listing = listing;
    this.mapper = mapper;
    this.parented = parent != null;
    String where = parented ? " WHERE " + parent + " = $1" : "";
    int next = parented ? 2 : 1;
    String order = " ORDER BY lower(" + name + "), " + id + " LIMIT $";
    this.first = select + where + order + next;
    this.after = select + (parented ? where + " AND " : " WHERE ") + "(lower(" + name + "), " + id + ") > ($" + next
        + ", $" + (next + 1) + ")" + order + (next + 2);
  }

  /** Up to {@code limit} rows in name order, after the (lower-cased name, id) key when given; ids compare as uuids. */
  Future<List<T>> page(SqlConnection conn, UUID parent, String afterName, UUID afterId, int limit) {
    List<Object> args = new ArrayList<>();
    if (parented) {
      args.add(parent);
    }
    if (afterName != null) {
      args.add(afterName);
      args.add(afterId);
    }
    args.add(limit);
    return conn.preparedQuery(afterName == null ? first : after).execute(Tuple.tuple(args))
        .map(rows -> Rows.list(rows, mapper));
  }
}
