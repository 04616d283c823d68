package io.caduceus.api.connector;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Connector rows, through the connection {@code TenantDb} opened. */
final class ConnectorRepository {

  Future<Connector> insert(SqlConnection conn, TenantContext ctx, UUID id, ConnectorDraft draft, byte[] sealed) {
    return conn.preparedQuery(ConnectorSql.INSERT).execute(Tuple.of(ctx.tenantId().value(), id, draft.name(),
            draft.baseUrl(), draft.authType(), draft.auth(), Buffer.buffer(sealed), ctx.userId()))
        .map(rows -> Connector.fromRow(rows.iterator().next()));
  }

  Future<Optional<Connector>> find(SqlConnection conn, UUID id) {
    return conn.preparedQuery(ConnectorSql.FIND).execute(Tuple.of(id))
        .map(rows -> Rows.optional(rows, Connector::fromRow));
  }

  Future<List<Connector>> list(SqlConnection conn) {
    return conn.preparedQuery(ConnectorSql.LIST).execute().map(rows -> Rows.list(rows, Connector::fromRow));
  }

  Future<Optional<Connector>> update(SqlConnection conn, UUID id, ConnectorDraft draft, byte[] sealed) {
    return conn.preparedQuery(ConnectorSql.UPDATE).execute(Tuple.of(id, draft.name(), draft.baseUrl(),
            draft.authType(), draft.auth(), Buffer.buffer(sealed)))
        .map(rows -> Rows.optional(rows, Connector::fromRow));
  }

  Future<Boolean> delete(SqlConnection conn, UUID id) {
    return conn.preparedQuery(ConnectorSql.DELETE).execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
  }

  Future<Void> advanceCheckpoint(SqlConnection conn, UUID id, OffsetDateTime to) {
    return conn.preparedQuery(ConnectorSql.ADVANCE_CHECKPOINT).execute(Tuple.of(id, to)).mapEmpty();
  }
}
