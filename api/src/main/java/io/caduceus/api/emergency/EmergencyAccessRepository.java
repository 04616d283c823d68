package io.caduceus.api.emergency;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/** Emergency accesses, on the connection {@code TenantDb} opened for the tenant. */
final class EmergencyAccessRepository {

  /** An access and the audited events of its window, as the report lists them. */
  record Use(EmergencyAccess access, JsonArray reads) {
  }

  /** Whether the tenant has a live patient {@code patientId}, whether or not the caller may see it. */
  Future<Boolean> patientOnRecord(SqlConnection conn, TenantContext ctx, UUID patientId) {
    return conn.preparedQuery(EmergencyAccessSql.PATIENT_ON_RECORD).execute(Tuple.of(ctx.tenantId().value(), patientId))
        .map(rows -> rows.iterator().next().getBoolean("found"));
  }

  /** Holds the transaction's lock on opening an access for this user and patient. */
  Future<Void> lock(SqlConnection conn, TenantContext ctx, UUID patientId) {
    return conn.preparedQuery(EmergencyAccessSql.LOCK)
        .execute(Tuple.of(ctx.tenantId().value(), ctx.userId(), patientId)).mapEmpty();
  }

  /** The user's access to the patient that is in force now, if any. */
  Future<Optional<EmergencyAccess>> inForce(SqlConnection conn, TenantContext ctx, UUID patientId) {
    return conn.preparedQuery(EmergencyAccessSql.IN_FORCE)
        .execute(Tuple.of(ctx.tenantId().value(), ctx.userId(), patientId))
        .map(rows -> Rows.optional(rows, EmergencyAccess::fromRow));
  }

  /** Opens an access for the user, for the tenant's break-glass window. */
  Future<EmergencyAccess> insert(SqlConnection conn, TenantContext ctx, UUID id, UUID patientId, String reason) {
    return conn.preparedQuery(EmergencyAccessSql.INSERT)
        .execute(Tuple.of(ctx.tenantId().value(), id, ctx.userId(), patientId, reason))
        .map(rows -> EmergencyAccess.fromRow(rows.iterator().next()));
  }

  /** One access of the tenant. */
  Future<Optional<EmergencyAccess>> find(SqlConnection conn, TenantContext ctx, UUID id) {
    return conn.preparedQuery(EmergencyAccessSql.ONE).execute(Tuple.of(ctx.tenantId().value(), id))
        .map(rows -> Rows.optional(rows, EmergencyAccess::fromRow));
  }

  /** Ends the caller's access if it is in force; empty if it was not. */
  Future<Optional<EmergencyAccess>> end(SqlConnection conn, TenantContext ctx, UUID id) {
    return conn.preparedQuery(EmergencyAccessSql.END).execute(Tuple.of(ctx.tenantId().value(), id, ctx.userId()))
        .map(rows -> Rows.optional(rows, EmergencyAccess::fromRow));
  }

  /** Up to {@code limit} accesses opened in [from, to), newest first, before the given position. */
  Future<List<Use>> uses(SqlConnection conn, TenantContext ctx, Instant from, Instant to, Instant afterAt,
                         UUID afterId, int limit) {
    Tuple args = Tuple.from(new Object[] {ctx.tenantId().value(), utc(from), utc(to), utc(afterAt), afterId, limit});
    return conn.preparedQuery(EmergencyAccessSql.USES).execute(args)
        .map(rows -> Rows.list(rows, row -> new Use(EmergencyAccess.fromRow(row), row.getJsonArray("reads"))));
  }
}
