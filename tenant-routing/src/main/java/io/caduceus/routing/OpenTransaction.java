package io.caduceus.routing;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.List;
import java.util.Objects;

/**
 * A transaction {@link TenantDb} has open for one tenant, carried by the {@link TenantContext} it hands to work
 * that must join it ({@link TenantDb#inTenantTransaction}). Only {@code TenantDb} creates one, so a context that
 * holds a transaction always holds one that {@code TenantDb} opened, scoped and will commit.
 */
public final class OpenTransaction {

  private final TenantId tenant;
  private final SqlConnection connection;
  private final List<Future<?>> riders;

  OpenTransaction(TenantId tenant, SqlConnection connection, List<Future<?>> riders) {
    this.tenant = Objects.requireNonNull(tenant);
    this.connection = Objects.requireNonNull(connection);
    this.riders = Objects.requireNonNull(riders);
  }

  /** The connection a joining unit of work runs its statements on, after checking it acts for the same tenant. */
  SqlConnection joinedBy(TenantContext ctx) {
    if (!tenant.equals(ctx.tenantId())) {
      throw new IllegalStateException("a context may join only a transaction of its own tenant");
    }
    return connection;
  }

  /**
   * A statement the work issued on this transaction's connection and does not wait for: the transaction commits
   * only if it succeeds, and its failure is the transaction's. It shares its round trip with the audit record instead
   * of costing one of its own; it must be issued before the work's future completes.
   */
  public void commitsWith(Future<?> statement) {
    riders.add(Objects.requireNonNull(statement));
  }
}
