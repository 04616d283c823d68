package io.caduceus.api.room;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Room rows. Every method runs on a connection {@code TenantDb} opened for the caller's tenant. */
final class RoomRepository {

  /** Creates room {@code id}; empty when the tenant has no active facility {@code facilityId}. */
  Future<Optional<Room>> insert(SqlConnection conn, TenantContext ctx, UUID id, UUID facilityId, String name,
                                String kind) {
    return conn.preparedQuery(RoomSql.INSERT)
        .execute(Tuple.from(new Object[] {ctx.tenantId().value(), id, facilityId, name, kind, ctx.userId()}))
        .map(rows -> Rows.optional(rows, Room::fromRow));
  }

  Future<Optional<Room>> find(SqlConnection conn, UUID id) {
    return conn.preparedQuery(RoomSql.FIND).execute(Tuple.of(id)).map(rows -> Rows.optional(rows, Room::fromRow));
  }

  /** Writes new values if the row is still at {@code version}; empty otherwise. */
  Future<Optional<Room>> update(SqlConnection conn, UUID id, int version, String name, String kind, String status) {
    return conn.preparedQuery(RoomSql.UPDATE).execute(Tuple.of(id, version, name, kind, status))
        .map(rows -> Rows.optional(rows, Room::fromRow));
  }

  /** Up to {@code limit} rooms after ({@code afterName}, {@code afterId}), by lower-cased name. */
  Future<List<Room>> list(SqlConnection conn, UUID facilityId, String status, String afterName, UUID afterId,
                          int limit) {
    return conn.preparedQuery(RoomSql.LIST).execute(Tuple.of(facilityId, status, afterName, afterId, limit))
        .map(rows -> Rows.list(rows, Room::fromRow));
  }
}
