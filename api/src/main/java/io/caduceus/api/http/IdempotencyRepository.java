package io.caduceus.api.http;

import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Idempotency keys and the replies kept for them: a tenant's on the connection of the transaction that makes the
 * change, the control plane's on its pool.
 */
final class IdempotencyRepository {

  /** A tenant user's claimed key with the reply stored for it. */
  record TenantRecord(String operation, byte[] fingerprint, Integer status, JsonObject headers, byte[] bodySealed,
                      List<UUID> patients) {
  }

  /** A control-plane reservation; {@code status} and {@code replySealed} are null while its action runs. */
  record Reservation(byte[] fingerprint, Integer status, byte[] replySealed) {
  }

  /** Claims the caller's key for the transaction's change; false if it was claimed before. */
  Future<Boolean> claim(SqlConnection conn, TenantContext ctx, String key, String operation, byte[] fingerprint) {
    return conn.preparedQuery(IdempotencySql.CLAIM).execute(Tuple.of(ctx.tenantId().value(), ctx.userId(), key,
        operation, Buffer.buffer(fingerprint))).map(rows -> rows.rowCount() == 1);
  }

  /** The caller's claimed key and its stored reply. */
  Future<TenantRecord> stored(SqlConnection conn, TenantContext ctx, String key) {
    return conn.preparedQuery(IdempotencySql.STORED).execute(Tuple.of(ctx.tenantId().value(), ctx.userId(), key))
        .map(rows -> tenantRecord(rows.iterator().next()));
  }

  /** Stores the reply to the caller's claimed key, its body sealed. */
  Future<Void> store(SqlConnection conn, TenantContext ctx, String key, Reply reply, byte[] sealedBody) {
    return conn.preparedQuery(IdempotencySql.STORE).execute(Tuple.from(new Object[] {ctx.tenantId().value(),
        ctx.userId(), key, reply.status(), reply.headersJson(), Buffer.buffer(sealedBody),
        reply.patients().toArray(new UUID[0])})).mapEmpty();
  }

  /** Deletes the tenant's records older than a day; returns how many. */
  Future<Integer> pruneTenant(SqlConnection conn, TenantId tenant) {
    return conn.preparedQuery(IdempotencySql.PRUNE_TENANT).execute(Tuple.of(tenant.value()))
        .map(rows -> rows.rowCount());
  }

  /** Reserves a key of the scope in the control plane; false if it was reserved before. */
  Future<Boolean> reserve(SqlClient controlPlane, String scope, String key, byte[] fingerprint) {
    return controlPlane.preparedQuery(IdempotencySql.RESERVE).execute(Tuple.of(scope, key, Buffer.buffer(fingerprint)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The reservation of a key of the scope. */
  Future<Reservation> reserved(SqlClient controlPlane, String scope, String key) {
    return controlPlane.preparedQuery(IdempotencySql.RESERVED).execute(Tuple.of(scope, key)).map(rows -> {
      Row row = rows.iterator().next();
      return new Reservation(row.getBuffer("fingerprint").getBytes(), row.getInteger("status_code"),
          bytes(row.getBuffer("reply_sealed")));
    });
  }

  /** Stores the sealed reply of a reserved key. */
  Future<Void> complete(SqlClient controlPlane, String scope, String key, int status, byte[] replySealed) {
    return controlPlane.preparedQuery(IdempotencySql.COMPLETE)
        .execute(Tuple.of(scope, key, status, Buffer.buffer(replySealed))).mapEmpty();
  }

  /** Frees a reserved key. */
  Future<Void> release(SqlClient controlPlane, String scope, String key) {
    return controlPlane.preparedQuery(IdempotencySql.RELEASE).execute(Tuple.of(scope, key)).mapEmpty();
  }

  /** Deletes the control plane's reservations and replies older than a day; returns how many. */
  Future<Integer> pruneControlPlane(SqlClient controlPlane) {
    return controlPlane.query(IdempotencySql.PRUNE_CONTROL_PLANE).execute().map(rows -> rows.rowCount());
  }

  private static TenantRecord tenantRecord(Row row) {
    UUID[] patients = row.getArrayOfUUIDs("patient_ids");
    return new TenantRecord(row.getString("operation"), row.getBuffer("fingerprint").getBytes(),
        row.getInteger("status_code"), row.getJsonObject("headers"), bytes(row.getBuffer("body_sealed")),
        patients == null ? null : Arrays.asList(patients));
  }

  private static byte[] bytes(Buffer buffer) {
    return buffer == null ? null : buffer.getBytes();
  }
}
