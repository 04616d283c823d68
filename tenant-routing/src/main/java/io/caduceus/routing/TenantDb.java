package io.caduceus.routing;

import io.caduceus.routing.quota.Bulkheads;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The door to tenant data for units of work: every request and background loop reaches a regional database
 * through it, as the app role. ({@link PlaceDoor} is the door for work on a whole tenant place: building, migrating,
 * copying, exporting and dropping it.)
 *
 * <p>Every unit of work runs in one transaction in the tenant's place ({@link PlacementView}): its region's shared
 * tables, its own schema there, or its own database. The transaction is scoped to the tenant ({@link TenantScope}),
 * so row-level security confines the work to that tenant (and, for a patient, to that patient) in every tier. The
 * scope is pipelined with the work's first statement: {@code BEGIN}, {@code set_config} and the first query leave
 * in one network flush.
 *
 * <p>While a tier move holds a tenant's writes, its transactions are {@code READ ONLY}: PostgreSQL itself refuses
 * any write, which surfaces as {@link WritesPaused}. Audit rows ({@link #inTenants}) are still written; the move
 * copies the ones written meanwhile after it switches.
 */
public final class TenantDb {

  /** SQLSTATE of a write inside a read-only transaction. */
  private static final String READ_ONLY_TRANSACTION = "25006";
  private static final String DEADLOCK_DETECTED = "40P01";
  private static final int DEADLOCK_RETRIES = 2;
  /** The request stage of a unit of work's transaction: {@code BEGIN}, the scope, its statements, {@code COMMIT}. */
  private static final String QUERY = "set_config + query";

  /** A write refused because a tier move holds the tenant's writes; it can be retried in a few seconds. */
  public static final class WritesPaused extends RuntimeException {
    public WritesPaused() {
      super("the tenant's writes are paused while its data moves", null, false, false);
    }
  }

  /** The tenant's own schema or database failed to migrate; its requests wait until it is repaired. */
  public static final class PlaceUnavailable extends RuntimeException {
    public PlaceUnavailable() {
      super("the tenant's schema or database is not at the current version", null, false, false);
    }
  }

  private final RegionRegistry regions;
  private final Bulkheads bulkheads;
  private final PlacementView placements;
  private final Map<String, Long> lastPlacesScan = new ConcurrentHashMap<>();
  private final RareWarning unscannable = new RareWarning(LoggerFactory.getLogger(TenantDb.class), 10_000);

  public TenantDb(RegionRegistry regions) {
    this(regions, Bulkheads.NONE, PlacementView.sharedOnly());
  }

  /** A door whose work per tenant is bounded by {@code bulkheads}, with every tenant in the shared tables. */
  public TenantDb(RegionRegistry regions, Bulkheads bulkheads) {
    this(regions, bulkheads, PlacementView.sharedOnly());
  }

  /**
   * A door whose work per tenant is bounded by {@code bulkheads}, so no tenant can hold the whole pool, and which
   * finds each tenant's rows through {@code placements}.
   */
  public TenantDb(RegionRegistry regions, Bulkheads bulkheads, PlacementView placements) {
    this.regions = Objects.requireNonNull(regions);
    this.bulkheads = Objects.requireNonNull(bulkheads);
    this.placements = Objects.requireNonNull(placements);
  }

  /** Where the context's tenant's rows are now. */
  public Placement placeOf(TenantContext ctx) {
    return placements.of(ctx.tenantId(), ctx.region());
  }

  /** Stops following placement changes, before the control-plane pool closes; the last view stays. */
  public void stop() {
    placements.stopRefreshing();
  }

  /**
   * Runs {@code work} in a transaction scoped to the context's tenant, committing when its future succeeds
   * and rolling back otherwise. The request's audit record ({@link TenantContext#audit}) is written inside the
   * transaction just before it commits. A context that holds a transaction (one handed out by {@link
   * #inTenantTransaction}) runs the work inside that transaction instead, and its owner commits it and writes the
   * record.
   *
   * <p>A transaction PostgreSQL chose as a deadlock's victim is run again, up to {@value #DEADLOCK_RETRIES} times:
   * its work issued only statements of that transaction, all rolled back. Concurrent inserts into a table with an
   * exclusion constraint (two bookings of one slot) wait on each other this way; the rerun then meets the
   * constraint and fails as it should.
   */
  public <T> Future<T> inTenant(TenantContext ctx, Function<SqlConnection, Future<T>> work) {
    if (ctx.transaction() != null) {
      return work.apply(ctx.transaction().joinedBy(ctx));
    }
    return inTenant(ctx, work, DEADLOCK_RETRIES);
  }

  /**
   * {@link #inTenant(TenantContext, Function)}, also handing {@code work} the context joined to the transaction:
   * every {@code inTenant} and {@code once} on the joined context runs in this same transaction, so what
   * {@code work} does through services commits or rolls back with its own statements on the connection.
   */
  public <T> Future<T> inTenantTransaction(TenantContext ctx,
                                           BiFunction<SqlConnection, TenantContext, Future<T>> work) {
    if (ctx.transaction() != null) {
      return work.apply(ctx.transaction().joinedBy(ctx), ctx);
    }
    return inTenant(ctx, (conn, riders) -> work.apply(conn,
        ctx.joining(new OpenTransaction(ctx.tenantId(), conn, riders))), DEADLOCK_RETRIES);
  }

  private <T> Future<T> inTenant(TenantContext ctx, Function<SqlConnection, Future<T>> work, int retries) {
    return inTenant(ctx, (conn, riders) -> work.apply(conn), retries);
  }

  /** {@code work} gets the transaction's connection and the list of its riders ({@link OpenTransaction#commitsWith}). */
  private <T> Future<T> inTenant(TenantContext ctx, BiFunction<SqlConnection, List<Future<?>>, Future<T>> work,
                                 int retries) {
    return transaction(ctx, work).recover(failure -> retries > 0 && failure instanceof PgException pg
        && DEADLOCK_DETECTED.equals(pg.getSqlState())
        ? inTenant(ctx, work, retries - 1)
        : Future.failedFuture(failure));
  }

  private <T> Future<T> transaction(TenantContext ctx, BiFunction<SqlConnection, List<Future<?>>, Future<T>> work) {
    if (!placements.usable(ctx.tenantId())) {
      return Future.failedFuture(new PlaceUnavailable());
    }
    Placement place = placeOf(ctx);
    boolean readOnly = placements.writesPaused(ctx.tenantId());
    RequestStage bulkhead = RequestStage.start("bulkhead").of(null, ctx.requestId());
    return bulkheads.run(ctx.tenantId(), () -> connection(bulkhead, place, ctx)
        .compose(conn -> RequestStage.start(QUERY).of(null, ctx.requestId())
            .until(runScoped(conn, place, readOnly, List.of(ctx), work))
            .andThen(done -> conn.close())))
        .recover(TenantDb::pausedWrite);
  }

  /**
   * Runs one statement in a transaction scoped to the context's tenant, with {@code BEGIN}, the scope, the
   * statement and {@code COMMIT} pipelined in a single network flush. {@code statement} must issue exactly one
   * statement before returning; anything issued later would run after the commit, outside the tenant's scope,
   * where row-level security shows nothing and refuses every write.
   */
  public <T> Future<T> once(TenantContext ctx, Function<SqlConnection, Future<T>> statement) {
    if (ctx.transaction() != null) {
      return statement.apply(ctx.transaction().joinedBy(ctx));
    }
    if (!placements.usable(ctx.tenantId())) {
      return Future.failedFuture(new PlaceUnavailable());
    }
    Placement place = placeOf(ctx);
    boolean readOnly = placements.writesPaused(ctx.tenantId());
    RequestStage bulkhead = RequestStage.start("bulkhead").of(null, ctx.requestId());
    return bulkheads.run(ctx.tenantId(), () -> connection(bulkhead, place, ctx).compose(conn -> {
      RequestStage query = RequestStage.start(QUERY).of(null, ctx.requestId());
      Future<?> begin = conn.query(readOnly ? "BEGIN READ ONLY" : "BEGIN").execute();
      Future<?> scope = TenantScope.of(conn, place, ctx);
      Future<T> result;
      try {
        result = statement.apply(conn);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      Future<?> commit = conn.query("COMMIT").execute();
      Future<T> outcome = result;
      return query.until(Future.join(begin, scope, outcome, commit))
          .transform(done -> done.succeeded() ? Future.succeededFuture(outcome.result())
              : Future.<T>failedFuture(firstFailure(begin, scope, outcome, commit)))
          .andThen(done -> conn.close());
    })).recover(TenantDb::pausedWrite);
  }

  /**
   * Runs one step per tenant of a region, re-scoping before each step: one transaction for all the tenants of
   * each place (one for the shared tables, one per tenant schema or database). A step must issue its statements
   * before returning; a statement issued later runs under the next tenant's scope and is rejected by row-level
   * security rather than misfiled.
   */
  public <K> Future<Void> inTenants(String region, Map<TenantContext, K> steps,
                                    BiFunction<SqlConnection, K, Future<?>> step) {
    Map<Placement, List<TenantContext>> byPlace = new LinkedHashMap<>();
    steps.keySet().forEach(ctx -> byPlace.computeIfAbsent(placeOf(ctx), p -> new ArrayList<>()).add(ctx));
    List<Future<Void>> groups = new ArrayList<>();
    byPlace.forEach((place, order) -> groups.add(regions.pool(place).getConnection().compose(conn -> {
      Future<Void> done = runScoped(conn, place, false, order, scopedConn -> {
        List<Future<?>> issued = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
          if (i > 0) {
            issued.add(TenantScope.of(conn, place, order.get(i)));
          }
          issued.add(step.apply(conn, steps.get(order.get(i))));
        }
        return Future.all(issued).mapEmpty();
      });
      return done.andThen(ignored -> conn.close());
    })));
    return Future.all(groups).mapEmpty();
  }

  /** Where a scan statement names the schema of the functions it calls: {@code {schema}.due_tenants($1)}. */
  public static final String SCHEMA = "{schema}";

  /** Tenant schemas scanned per statement: each is one function call, so a thousand schemas take ten statements. */
  static final int SCHEMAS_PER_SCAN = 100;

  /**
   * How often one loop scans the tenant schemas and databases, however often it scans the shared tables. Each
   * schema costs about half a millisecond of database time per scan (bench/scan.sh), so a thousand of them scanned
   * on every tick kept PostgreSQL busy while idle (bench/scale.sh).
   */
  static final long TENANT_PLACES_EVERY_NANOS = 2_000_000_000L;

  /**
   * Runs one statement in every place of the region that may hold tenant rows (the shared tables, each tenant
   * schema, each tenant database), with no tenant set, and returns all their rows. It is meant for the functions
   * that find which tenants have due work: they return tenant ids, never tenant data, and each pins its search
   * path to the schema it lives in. {@code sql} names that schema as {@link #SCHEMA}; tenant schemas are scanned
   * {@link #SCHEMAS_PER_SCAN} to a statement, as a {@code UNION ALL} of the same query per schema, over the region's
   * one scanning connection (so only that backend caches every schema's tables), and at most every two seconds per
   * {@code loop} (each background loop names itself); the shared tables are scanned on every call. A place that
   * cannot answer (a schema being created, a database being moved) is skipped this time.
   */
  public Future<List<Row>> scan(String loop, String region, String sql, Tuple args) {
    String shared = sql.replace(SCHEMA, Placement.SHARED_SCHEMA);
    List<Future<RowSet<Row>>> answers = new ArrayList<>();
    List<String> schemas = new ArrayList<>();
    long now = System.nanoTime();
    String key = loop + "|" + region;
    Long last = lastPlacesScan.get(key);
    boolean placesToo = last == null || now - last >= TENANT_PLACES_EVERY_NANOS;
    if (placesToo) {
      lastPlacesScan.put(key, now);
    }
    for (Placement place : placesToo ? placements.places(region) : List.of(Placement.shared(region))) {
      if (!place.inRegionDatabase()) {
        answers.add(regions.pool(place).preparedQuery(shared).execute(args));
      } else if (place.tier() == IsolationTier.SHARED) {
        answers.add(regions.pool(region).preparedQuery(shared).execute(args));
      } else {
        schemas.add(place.schema());
      }
    }
    for (int from = 0; from < schemas.size(); from += SCHEMAS_PER_SCAN) {
      List<String> chunk = schemas.subList(from, Math.min(schemas.size(), from + SCHEMAS_PER_SCAN));
      StringBuilder union = new StringBuilder();
      for (String schema : chunk) {
        union.append(union.isEmpty() ? "" : " UNION ALL ").append("SELECT * FROM (")
            .append(sql.replace(SCHEMA, "\"" + schema + "\"")).append(") s");
      }
      answers.add(regions.scanPool(region).preparedQuery(union.toString()).execute(args));
    }
    return Future.join(answers).transform(done -> {
      List<Row> rows = new ArrayList<>();
      for (Future<RowSet<Row>> answer : answers) {
        if (answer.succeeded()) {
          answer.result().forEach(rows::add);
        } else {
          unscannable.warn("tenant places of region {} could not be scanned ({})", region,
              answer.cause().getClass().getSimpleName());
        }
      }
      return Future.succeededFuture(rows);
    });
  }

  /**
   * Runs one statement in a region's own database with no tenant set. Row-level security then shows every tenant
   * table as empty, so this is only useful for statements on the region's platform tables (such as the schedule
   * leases) or functions that deliberately return no tenant data.
   */
  public Future<RowSet<Row>> withoutTenant(String region, String sql) {
    return regions.pool(region).query(sql).execute();
  }

  /** {@link #withoutTenant(String, String)} with bind parameters. */
  public Future<RowSet<Row>> withoutTenant(String region, String sql, Tuple args) {
    return regions.pool(region).preparedQuery(sql).execute(args);
  }

  /** A connection of the tenant's place, once the tenant's bulkhead let the work in (which ends that stage). */
  private Future<SqlConnection> connection(RequestStage bulkhead, Placement place, TenantContext ctx) {
    bulkhead.finish();
    return RequestStage.start("connection").of(null, ctx.requestId()).until(regions.pool(place).getConnection());
  }

  /**
   * {@code BEGIN}, the scope and the work's first statement leave in one flush. Once the work's future succeeds, its
   * riders' statements (issued already, {@link OpenTransaction#commitsWith}) and the audit record leave together, a
   * round trip for both; {@code COMMIT} goes only when every one of them succeeded. (Not in that same flush: a
   * statement the client refuses before sending it, such as a parameter of the wrong type, leaves the transaction
   * open and unharmed, so a {@code COMMIT} sent behind it would keep the change without its record.)
   */
  private <T> Future<T> runScoped(SqlConnection conn, Placement place, boolean readOnly,
                                  List<TenantContext> scopes, Function<SqlConnection, Future<T>> work) {
    return runScoped(conn, place, readOnly, scopes, (scopedConn, riders) -> work.apply(scopedConn));
  }

  private <T> Future<T> runScoped(SqlConnection conn, Placement place, boolean readOnly, List<TenantContext> scopes,
                                  BiFunction<SqlConnection, List<Future<?>>, Future<T>> work) {
    Future<?> begin = conn.query(readOnly ? "BEGIN READ ONLY" : "BEGIN").execute();
    Future<?> scope = TenantScope.of(conn, place, scopes.get(0));
    List<Future<?>> riders = new ArrayList<>();
    Future<T> result;
    try {
      result = work.apply(conn, riders);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    Future<T> outcome = result;
    TenantContext actor = scopes.get(0);
    List<Future<?>> before = new ArrayList<>();
    Future<?> recorded = Future.join(begin, scope, outcome).compose(done -> {
      before.addAll(riders);
      before.add(readOnly ? Future.succeededFuture() : actor.audit().beforeCommit(conn, actor));
      return Future.join(before);
    });
    return recorded.transform(joined -> {
      if (joined.succeeded()) {
        return conn.query("COMMIT").execute().map(committed -> {
          actor.audit().committed();
          return outcome.result();
        });
      }
      Throwable cause = outcome.failed() || begin.failed() || scope.failed() ? firstFailure(begin, scope, outcome)
          : before.stream().filter(Future::failed).findFirst().map(Future::cause).orElse(joined.cause());
      return conn.query("ROLLBACK").execute().transform(rolledBack -> Future.failedFuture(cause));
    });
  }

  private static <T> Future<T> pausedWrite(Throwable failure) {
    if (failure instanceof PgException pg && READ_ONLY_TRANSACTION.equals(pg.getSqlState())) {
      return Future.failedFuture(new WritesPaused());
    }
    return Future.failedFuture(failure);
  }

  private static Throwable firstFailure(Future<?>... futures) {
    for (Future<?> f : futures) {
      if (f.failed()) {
        return f.cause();
      }
    }
    return new IllegalStateException("transaction failed without a cause");
  }
}
