package io.caduceus.api.emergency;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.Optional;
import java.util.UUID;

/**
 * The reason stated for an emergency access, read when its notice becomes the privacy officers' alert (which
 * carries it sealed): the notice itself names only the access, so the outbox never holds the reason.
 */
public final class EmergencyAccessReasons {

  /** The reason of access {@code id} of the tenant, on the connection {@code TenantDb} opened for it. */
  public Future<Optional<String>> of(SqlConnection conn, TenantId tenant, UUID id) {
    return conn.preparedQuery(EmergencyAccessSql.REASON).execute(Tuple.of(tenant.value(), id))
        .map(rows -> Rows.optional(rows, row -> row.getString("reason")));
  }
}
