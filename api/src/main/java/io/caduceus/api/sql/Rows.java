package io.caduceus.api.sql;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** How a repository turns the rows a statement returned into values: one mapping per row, in the rows' order. */
public final class Rows {

  /** Every row, mapped, in the order the statement returned them. */
  public static <T> List<T> list(RowSet<Row> rows, Function<Row, T> mapper) {
    List<T> out = new ArrayList<>(rows.size());
    rows.forEach(row -> out.add(mapper.apply(row)));
    return out;
  }

  /** The first row, mapped, or empty if the statement returned none. */
  public static <T> Optional<T> optional(RowSet<Row> rows, Function<Row, T> mapper) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(mapper.apply(rows.iterator().next()));
  }

  private Rows() {
  }
}
