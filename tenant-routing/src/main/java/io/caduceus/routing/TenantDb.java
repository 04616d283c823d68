package io.caduceus.routing;

import io.caduceus.routing.quota.Bulkheads;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The only door to a regional database.
 *
 * <p>Every unit of work runs in one transaction on the tenant's regional pool, with {@code app.tenant_id},
 * {@code app.user_id} and {@code app.patient_id} set transaction-locally, so row-level security confines it to
 * that tenant (and, for a patient, to that patient). The scope is pipelined with the work's first statement:
 * {@code BEGIN}, {@code set_config} and the first query leave in one network flush.
 */
public final class TenantDb {

  static final String SET_SCOPE = "SELECT set_config('app.tenant_id', $1, true),"
      + " set_config('app.user_id', $2, true), set_config('app.patient_id', $3, true)";

  private final RegionRegistry regions;
  private final Bulkheads bulkheads;

  public TenantDb(RegionRegistry regions) {
    this(regions, Bulkheads.NONE);
  }

  /** A door whose work per tenant is bounded by {@code bulkheads}, so no tenant can hold the whole pool. */
  public TenantDb(RegionRegistry regions, Bulkheads bulkheads) {
    this.regions = Objects.requireNonNull(regions);
    this.bulkheads = Objects.requireNonNull(bulkheads);
  }

  /**
   * Runs {@code work} in a transaction scoped to the context's tenant, committing when its future succeeds
   * and rolling back otherwise. A context that already holds an open transaction ({@link
   * TenantContext#joining}) runs the work inside it instead.
   */
  public <T> Future<T> inTenant(TenantContext ctx, Function<SqlConnection, Future<T>> work) {
    if (ctx.transaction() != null) {
      return work.apply(ctx.transaction());
    }
    return bulkheads.run(ctx.tenantId(), () -> regions.pool(ctx.region()).getConnection()
        .compose(conn -> runScoped(conn, List.of(ctx), conn2 -> work.apply(conn2))
            .andThen(done -> conn.close())));
  }

  /**
   * Runs one statement in a transaction scoped to the context's tenant, with {@code BEGIN}, the scope, the
   * statement and {@code COMMIT} pipelined in a single network flush. {@code statement} must issue exactly one
   * statement before returning; anything issued later would run after the commit, outside the tenant's scope,
   * where row-level security shows nothing and refuses every write.
   */
  public <T> Future<T> once(TenantContext ctx, Function<SqlConnection, Future<T>> statement) {
    if (ctx.transaction() != null) {
      return statement.apply(ctx.transaction());
    }
    return bulkheads.run(ctx.tenantId(), () -> regions.pool(ctx.region()).getConnection().compose(conn -> {
      Future<?> begin = conn.query("BEGIN").execute();
      Future<?> scope = setScope(conn, ctx);
      Future<T> result;
      try {
        result = statement.apply(conn);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      Future<?> commit = conn.query("COMMIT").execute();
      Future<T> outcome = result;
      return Future.join(begin, scope, outcome, commit)
          .transform(done -> done.succeeded() ? Future.succeededFuture(outcome.result())
              : Future.<T>failedFuture(firstFailure(begin, scope, outcome, commit)))
          .andThen(done -> conn.close());
    }));
  }

  /**
   * Runs one step per tenant of a region in a single transaction, re-scoping before each step. A step must
   * issue its statements before returning; a statement issued later runs under the next tenant's scope and is
   * rejected by row-level security rather than misfiled.
   */
  public <K> Future<Void> inTenants(String region, Map<TenantContext, K> steps,
                                    BiFunction<SqlConnection, K, Future<?>> step) {
    if (steps.isEmpty()) {
      return Future.succeededFuture();
    }
    return regions.pool(region).getConnection().compose(conn -> {
      List<TenantContext> order = new ArrayList<>(steps.keySet());
      Future<Void> done = runScoped(conn, order, scopedConn -> {
        List<Future<?>> issued = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
          if (i > 0) {
            issued.add(setScope(conn, order.get(i)));
          }
          issued.add(step.apply(conn, steps.get(order.get(i))));
        }
        return Future.all(issued).mapEmpty();
      });
      return done.andThen(ignored -> conn.close());
    });
  }

  /**
   * Runs one statement in a region with no tenant set. Row-level security then shows every tenant table as
   * empty, so this is only useful for functions that deliberately return no tenant data (such as the ids of
   * tenants with unsealed audit events).
   */
  public Future<RowSet<Row>> withoutTenant(String region, String sql) {
    return regions.pool(region).query(sql).execute();
  }

  /** {@link #withoutTenant(String, String)} with bind parameters. */
  public Future<RowSet<Row>> withoutTenant(String region, String sql, Tuple args) {
    return regions.pool(region).preparedQuery(sql).execute(args);
  }

  private <T> Future<T> runScoped(SqlConnection conn, List<TenantContext> scopes,
                                  Function<SqlConnection, Future<T>> work) {
    Future<?> begin = conn.query("BEGIN").execute();
    Future<?> scope = setScope(conn, scopes.get(0));
    Future<T> result;
    try {
      result = work.apply(conn);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    Future<T> outcome = result;
    return Future.join(begin, scope, outcome).transform(joined -> {
      if (joined.succeeded()) {
        return conn.query("COMMIT").execute().map(committed -> outcome.result());
      }
      Throwable cause = firstFailure(begin, scope, outcome);
      return conn.query("ROLLBACK").execute().transform(rolledBack -> Future.failedFuture(cause));
    });
  }

  private static Future<?> setScope(SqlConnection conn, TenantContext ctx) {
    return conn.preparedQuery(SET_SCOPE).execute(Tuple.of(
        ctx.tenantId().toString(),
        ctx.userId().toString(),
        ctx.patientId().map(Object::toString).orElse("")));
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
