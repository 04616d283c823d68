package io.caduceus.api.sql;

import io.caduceus.routing.Keyset;
import io.caduceus.routing.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A keyset listing with optional equality filters, written as one statement per shape of the filters given.
 *
 * <p>One statement with "{@code $n IS NULL OR col = $n}" for each filter cannot use the filter's index once
 * PostgreSQL keeps its generic plan (after five executions): the generic plan does not know which filters are
 * null, so a patient's page walked the whole tenant's index in listing order, filtering. Each shape here is its
 * own prepared statement naming only the filters it has, so its plan walks the index that serves them (a patient's
 * orders through {@code (tenant_id, patient_id, created_at, id)}) and stops at the page. A listing with n filters has
 * 2^n statements, built once; the pool's prepared-statement cache keeps the shapes in use.
 */
public final class Listing {

  private final String[] statements;
  private final String[] counts;
  private final int filterCount;

  /**
   * {@code select} is the statement up to its WHERE ({@code SELECT ... FROM t a}); {@code filters} the optional
   * filters' conditions in the order their values are given, each a column compared for equality
   * ({@code "a.patient_id"}) or a condition with {@code %s} where its parameter goes
   * ({@code "(a.claim_id IS NOT NULL) = %s"}); {@code at} and {@code id} the keyset columns; {@code ascending} the
   * order.
   */
  public Listing(String select, List<String> filters, String at, String id, boolean ascending) {
    this.filterCount = filters.size();
    this.statements = new String[1 << filterCount];
    this.counts = new String[1 << filterCount];
    for (int shape = 0; shape < statements.length; shape++) {
      statements[shape] = statement(select, filters, shape, at, id, ascending);
      counts[shape] = count(select, filters, shape);
    }
  }

  /**
   * One page: the rows matching every non-null filter value (in the order of the columns), after ({@code before}
   * for a descending listing) the cursor {@code (afterAt, afterId)}, or from the first row when {@code afterAt} is
   * null; at most {@code limit}.
   */
  public Future<RowSet<Row>> page(SqlConnection conn, List<?> filterValues, Instant afterAt, UUID afterId,
                                  int limit) {
    if (filterValues.size() != filterCount) {
      throw new IllegalArgumentException("expected " + filterCount + " filter values, got " + filterValues.size());
    }
    int shape = 0;
    List<Object> args = new ArrayList<>();
    for (int i = 0; i < filterCount; i++) {
      if (filterValues.get(i) != null) {
        shape |= 1 << i;
        args.add(filterValues.get(i));
      }
    }
    args.add(Timestamps.utc(afterAt));
    args.add(afterId);
    args.add(limit);
    return conn.preparedQuery(statements[shape]).execute(Tuple.tuple(args));
  }

  /**
   * How many rows match every non-null filter value (FHIR's {@code _summary=count}): the page's statement of the
   * same shape without its keyset, order and limit, so it has the same filters and indexes.
   */
  public Future<Integer> count(SqlConnection conn, List<?> filterValues) {
    if (filterValues.size() != filterCount) {
      throw new IllegalArgumentException("expected " + filterCount + " filter values, got " + filterValues.size());
    }
    int shape = 0;
    List<Object> args = new ArrayList<>();
    for (int i = 0; i < filterCount; i++) {
      if (filterValues.get(i) != null) {
        shape |= 1 << i;
        args.add(filterValues.get(i));
      }
    }
    return conn.preparedQuery(counts[shape]).execute(Tuple.tuple(args))
        .map(rows -> (int) rows.iterator().next().getLong(0).longValue());
  }

  /** Every shape's count statement, as {@link #statements()} (for plan tests). */
  public List<String> counts() {
    return Arrays.asList(counts.clone());
  }

  /** Every shape's statement, the shape's bit i set when filter i is given (for plan tests). */
  public List<String> statements() {
    return Arrays.asList(statements.clone());
  }

  /** The rows of {@code select} under the shape's filters, counted; the selected columns are never computed. */
  private static String count(String select, List<String> filters, int shape) {
    return "SELECT count(*) FROM (" + where(select, filters, shape, new int[] {1}) + "TRUE) matched";
  }

  private static String where(String select, List<String> filters, int shape, int[] param) {
    StringBuilder sql = new StringBuilder(select).append("\nWHERE ");
    for (int i = 0; i < filters.size(); i++) {
      if ((shape & (1 << i)) != 0) {
        String filter = filters.get(i);
        String value = "$" + param[0]++;
        sql.append(filter.contains("%s") ? filter.formatted(value) : filter + " = " + value).append(" AND ");
      }
    }
    return sql.toString();
  }

  private static String statement(String select, List<String> filters, int shape, String at, String id,
                                  boolean ascending) {
    int[] next = {1};
    StringBuilder sql = new StringBuilder(where(select, filters, shape, next));
    int param = next[0];
    sql.append(ascending ? Keyset.after(at, id, param, param + 1) : Keyset.before(at, id, param, param + 1));
    String direction = ascending ? "" : " DESC";
    return sql.append("\nORDER BY ").append(at).append(direction).append(", ").append(id).append(direction)
        .append("\nLIMIT $").append(param + 2).toString();
  }
}
