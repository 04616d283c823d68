package io.caduceus.api.audit;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/** Reads of the tenant's audit events, on a connection {@code TenantDb} opened for that tenant. */
final class AuditRepository {

  /** Up to {@code limit} of the tenant's events matching {@code q}, newest first, after the cursor's position. */
  Future<List<AuditRecord>> list(SqlConnection conn, TenantId tenant, AuditQuery q, Instant afterAt, UUID afterId,
                                 int limit) {
    Tuple args = Tuple.from(new Object[] {q.patientId(), q.actorUserId(), q.action(), utc(q.from()), utc(q.to()),
        utc(afterAt), afterId, limit, tenant.value()});
    return conn.preparedQuery(AuditSql.LIST).execute(args).map(rows -> Rows.list(rows, AuditRecord::fromRow));
  }
}
