package io.caduceus.routing;

import io.vertx.sqlclient.SqlConnection;

import java.util.Objects;

/**
 * A transaction {@link TenantDb} has open for one tenant, carried by the {@link TenantContext} it hands to work
 * that must join it ({@link TenantDb#inTenantTransaction}). Only {@code TenantDb} creates one, so a context that
 * holds a transaction always holds one that {@code TenantDb} opened, scoped and will commit.
 */
public final class OpenTransaction {

  private final TenantId tenant;
  private final SqlConnection connection;

  OpenTransaction(TenantId tenant, SqlConnection connection) {
    this.tenant = Objects.requireNonNull(tenant);
    this.connection = Objects.requireNonNull(connection);
  }

  /** The connection a joining unit of work runs its statements on, after checking it acts for the same tenant. */
  SqlConnection joinedBy(TenantContext ctx) {
    if (!tenant.equals(ctx.tenantId())) {
      throw new IllegalStateException("a context may join only a transaction of its own tenant");
    }
    return connection;
  }
}
