package io.caduceus.routing;

import io.caduceus.routing.schema.SqlIdentifier;
import io.vertx.core.Future;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One tenant's rows in one place, reached as the owner role over a small pool of their own ({@link PlaceDoor#rows}),
 * with the tenant's scope set ({@link TenantScope}), so row-level security still confines every statement to that
 * tenant: listing its tables in foreign-key order, streaming rows out as JSON, inserting them elsewhere, counting
 * and checksumming them, and deleting them.
 *
 * <p>Every statement also names the tenant in its {@code WHERE} clause: the owner role is a member of the scanner
 * role, whose read policy on the audit trail spans tenants, so row-level security alone would not confine its reads.
 *
 * <p>Rows travel as {@code row_to_json} and come back through {@code json_populate_recordset}, which restores
 * every column type exactly (timestamps, numerics, byte strings, arrays, JSON); generated columns are left to the
 * destination to compute. A table's checksum is the sum of a 64-bit hash of each row's text, so it does not
 * depend on row order and equal tables in two places give equal sums.
 *
 * <p>A derived table, one whose rows a trigger computes from another table's (such as a patient's name words), is
 * left out: inserting the rows it derives from rebuilds it, so copying it too would collide with those rows, and
 * deleting them cascades to it. A migration marks such a table with a comment starting {@value #DERIVED}, on the
 * table itself where anyone reading the schema sees it and only where a migration says so (a naming rule would be
 * easy to meet by accident).
 *
 * <p>The job that asked for it closes it ({@link #close}).
 */
public final class TenantRows {

  /** A table that holds tenant rows: its name and the columns an insert may set. */
  public record Table(String name, String columns) {
  }

  /** Rows and checksum of one table. */
  public record Tally(long rows, String checksum) {
  }

  /** Rows per batch handed to a sink or read from an archive. */
  public static final int BATCH = 500;

  /** How the comment of a derived table starts, e.g. {@code COMMENT ON TABLE t IS 'derived: ...'}. */
  public static final String DERIVED = "derived:";

  private static final String TABLES = """
      SELECT c.relname AS name,
        (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
          WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns,
        (SELECT coalesce(array_agg(DISTINCT r.relname::text), '{}') FROM pg_constraint k
          JOIN pg_class r ON r.oid = k.confrelid WHERE k.conrelid = c.oid AND k.contype = 'f'
          AND k.confrelid <> c.oid) AS parents
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1
        AND c.relkind = 'r'
        AND EXISTS (SELECT 1 FROM pg_attribute a
          WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
        AND NOT starts_with(coalesce(obj_description(c.oid, 'pg_class'), ''), $2)
      ORDER BY c.relname""";

  private final Pool pool;
  private final Placement place;
  private final TenantId tenant;

  TenantRows(Pool pool, Placement place, TenantId tenant) {
    this.pool = pool;
    this.place = place;
    this.tenant = tenant;
  }

  /** The place's tenant tables but the derived ones, parents before children. */
  public Future<List<Table>> tables() {
    return pool.preparedQuery(TABLES).execute(Tuple.of(place.schema(), DERIVED)).map(rows -> {
      Map<String, Table> byName = new LinkedHashMap<>();
      Map<String, List<String>> parents = new LinkedHashMap<>();
      for (Row row : rows) {
        String name = row.getString("name");
        String columns = row.getString("columns");
        if (!Arrays.stream(columns.split(", ", -1)).allMatch(SqlIdentifier::isPlain)) {
          throw new IllegalStateException("a tenant table has a column name that is not a plain identifier");
        }
        plain(name);
        byName.put(name, new Table(name, columns));
        List<String> of = new ArrayList<>();
        for (Object parent : row.getArrayOfStrings("parents")) {
          of.add((String) parent);
        }
        parents.put(name, of);
      }
      List<Table> ordered = new ArrayList<>();
      Set<String> placed = new HashSet<>();
      while (ordered.size() < byName.size()) {
        int before = ordered.size();
        for (Table table : byName.values()) {
          if (!placed.contains(table.name()) && parents.get(table.name()).stream()
              .allMatch(p -> placed.contains(p) || !byName.containsKey(p))) {
            ordered.add(table);
            placed.add(table.name());
          }
        }
        if (ordered.size() == before) {
          throw new IllegalStateException("tenant tables reference each other in a cycle");
        }
      }
      return ordered;
    });
  }

  /**
   * Streams every table's rows, in one repeatable-read snapshot so the tables agree with each other, to
   * {@code sink}; the row count of each table.
   */
  public Future<Map<String, Long>> readAll(List<Table> tables, BiFunction<Table, List<String>, Future<Void>> sink) {
    return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute().compose(v -> TenantScope.ofRows(conn, tenant)).compose(v -> {
          Map<String, Long> counts = new LinkedHashMap<>();
          Future<Void> chain = Future.succeededFuture();
          for (Table table : tables) {
            chain = chain.compose(x -> conn.prepare("SELECT row_to_json(t)::text AS r FROM " + qualified(table)
                    + " t WHERE tenant_id = $1")
                .compose(statement -> drain(statement.cursor(tenantArg()), batch -> sink.apply(table, batch), 0L))
                .map(n -> {
                  counts.put(table.name(), n);
                  return (Void) null;
                }));
          }
          return chain.map(counts);
        }));
  }

  /** Streams the table's rows as JSON text, {@link #BATCH} at a time, to {@code sink}; the number of rows. */
  public Future<Long> read(Table table, Function<List<String>, Future<Void>> sink) {
    return inScope(true, conn -> conn.prepare("SELECT row_to_json(t)::text AS r FROM " + qualified(table)
            + " t WHERE tenant_id = $1").compose(statement -> drain(statement.cursor(tenantArg()), sink, 0L)));
  }

  private Future<Long> drain(Cursor cursor, Function<List<String>, Future<Void>> sink, long sent) {
    return cursor.read(BATCH).compose(rows -> {
      List<String> batch = new ArrayList<>(rows.size());
      rows.forEach(row -> batch.add(row.getString("r")));
      Future<Void> delivered = batch.isEmpty() ? Future.succeededFuture() : sink.apply(batch);
      return delivered.compose(v -> cursor.hasMore() ? drain(cursor, sink, sent + batch.size())
          : cursor.close().map(sent + batch.size()));
    });
  }

  /** Inserts rows given as JSON objects into the table. */
  public Future<Void> insert(Table table, List<String> jsonRows) {
    String array = "[" + String.join(",", jsonRows) + "]";
    return inScope(false, conn -> conn.preparedQuery("INSERT INTO " + qualified(table) + " (" + table.columns()
        + ") SELECT " + table.columns() + " FROM json_populate_recordset(NULL::" + qualified(table)
        + ", $1::text::json)").execute(Tuple.of(array))).mapEmpty();
  }

  /** The table's row count and checksum for the tenant. */
  public Future<Tally> tally(Table table) {
    return inScope(true, conn -> conn.preparedQuery("SELECT count(*) AS n,"
        + " coalesce(sum(hashtextextended(t::text, 0)::numeric), 0)::text AS h FROM " + qualified(table)
        + " t WHERE tenant_id = $1").execute(tenantArg())).map(rows -> {
          Row row = rows.iterator().next();
          return new Tally(row.getLong("n"), row.getString("h"));
        });
  }

  /** The table's rows as JSON text, for checking a restore against its archive. */
  public Future<List<String>> json(Table table) {
    return inScope(true, conn -> conn.preparedQuery("SELECT row_to_json(t)::text AS r FROM " + qualified(table)
        + " t WHERE tenant_id = $1").execute(tenantArg())).map(rows -> {
          List<String> out = new ArrayList<>(rows.size());
          rows.forEach(row -> out.add(row.getString("r")));
          return out;
        });
  }

  /** The row count and checksum of the table's rows with the given ids (for tables keyed by {@code id}). */
  public Future<Tally> tallyOf(Table table, Set<String> ids) {
    return inScope(true, conn -> conn.preparedQuery("SELECT count(*) AS n,"
        + " coalesce(sum(hashtextextended(t::text, 0)::numeric), 0)::text AS h FROM " + qualified(table)
        + " t WHERE tenant_id = $1 AND id::text = ANY ($2::text[])")
        .execute(Tuple.of(tenant.value(), (Object) ids.toArray(new String[0])))).map(rows -> {
          Row row = rows.iterator().next();
          return new Tally(row.getLong("n"), row.getString("h"));
        });
  }

  /** The ids of the table's rows (for tables keyed by {@code id}), to find the rows another place lacks. */
  public Future<Set<String>> ids(Table table) {
    return inScope(true, conn -> conn.preparedQuery("SELECT id::text AS id FROM " + qualified(table)
        + " WHERE tenant_id = $1").execute(tenantArg()))
        .map(rows -> {
          Set<String> ids = new HashSet<>();
          rows.forEach(row -> ids.add(row.getString("id")));
          return ids;
        });
  }

  /** Streams the rows whose id is not in {@code known} to {@code sink}; how many. */
  public Future<Long> readMissing(Table table, Set<String> known, Function<List<String>, Future<Void>> sink) {
    return inScope(true, conn -> conn.preparedQuery("SELECT id::text AS id, row_to_json(t)::text AS r FROM "
        + qualified(table) + " t WHERE tenant_id = $1").execute(tenantArg())).compose(rows -> {
          List<String> missing = new ArrayList<>();
          rows.forEach(row -> {
            if (!known.contains(row.getString("id"))) {
              missing.add(row.getString("r"));
            }
          });
          Future<Void> sent = Future.succeededFuture();
          for (int from = 0; from < missing.size(); from += BATCH) {
            List<String> batch = missing.subList(from, Math.min(missing.size(), from + BATCH));
            sent = sent.compose(v -> sink.apply(batch));
          }
          return sent.map((long) missing.size());
        });
  }

  /** Deletes the tenant's rows from every table, children first; how many. */
  public Future<Long> deleteAll(List<Table> tables) {
    return inScope(false, conn -> {
      Future<Long> deleted = Future.succeededFuture(0L);
      for (int i = tables.size() - 1; i >= 0; i--) {
        Table table = tables.get(i);
        deleted = deleted.compose(sum -> conn.preparedQuery("DELETE FROM " + qualified(table)
                + " WHERE tenant_id = $1").execute(tenantArg())
            .map(rows -> sum + rows.rowCount()));
      }
      return deleted;
    });
  }

  /** Closes the pool. */
  public Future<Void> close() {
    return pool.close();
  }

  private Tuple tenantArg() {
    return Tuple.of(tenant.value());
  }

  /**
   * The table's name qualified by its place's schema, quoted. Table and schema names cannot be bind parameters; both
   * come from the catalog (and the tenant's id), and anything but a plain lower-case identifier is refused.
   */
  private String qualified(Table table) {
    return plain(place.schema()) + "." + plain(table.name());
  }

  private static String plain(String identifier) {
    if (!SqlIdentifier.isPlain(identifier)) {
      throw new IllegalStateException("not a plain identifier in the tenant tables");
    }
    return SqlIdentifier.quoted(identifier);
  }

  /** Runs {@code work} in one transaction scoped to the tenant (the owner role is still held by row-level security). */
  private <T> Future<T> inScope(boolean readOnly, Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(conn -> conn.query(readOnly ? "SET TRANSACTION READ ONLY" : "SELECT 1").execute()
        .compose(v -> TenantScope.ofRows(conn, tenant))
        .compose(v -> work.apply(conn)));
  }
}
