package io.caduceus.api.onboarding;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.Collection;
import java.util.List;

/** A tenant's own web origins in the control plane, read and written through the client (pool or transaction) given. */
final class WebOriginRepository {

  private static final String LIST = "SELECT origin FROM tenant_web_origin WHERE tenant_id = $1 ORDER BY origin";
  private static final String CLEAR = "DELETE FROM tenant_web_origin WHERE tenant_id = $1";
  private static final String ADD = "INSERT INTO tenant_web_origin (tenant_id, origin) VALUES ($1, $2)";

  /** The tenant's origins, in order. */
  Future<List<String>> list(SqlClient client, TenantId tenant) {
    return client.preparedQuery(LIST).execute(Tuple.of(tenant.value()))
        .map(rows -> Rows.list(rows, row -> row.getString("origin")));
  }

  /** Replaces the tenant's origins with {@code origins}; run it in a transaction. */
  Future<Void> replace(SqlClient client, TenantId tenant, Collection<String> origins) {
    return client.preparedQuery(CLEAR).execute(Tuple.of(tenant.value()))
        .compose(cleared -> origins.isEmpty() ? Future.succeededFuture() : client.preparedQuery(ADD)
            .executeBatch(origins.stream().map(o -> Tuple.of(tenant.value(), o)).toList()))
        .mapEmpty();
  }
}
