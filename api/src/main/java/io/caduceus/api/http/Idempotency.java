package io.caduceus.api.http;

import io.caduceus.api.audit.AuditEvent;
import io.caduceus.api.audit.AuditTrail;
import io.caduceus.api.audit.OperationAudit;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.keys.MasterKey;
import io.caduceus.routing.keys.TenantKeyring;
import io.caduceus.routing.keys.TenantKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code Idempotency-Key} for the POSTs whose contract declares it. A retry with the same key and the same
 * request (operation, method, path, {@code If-Match} and body) gets the first reply, marked
 * {@code Idempotent-Replayed: true}; the same key with any other request gets 422. Where the contract does not
 * declare the key (every operation that issues credentials), it is ignored.
 *
 * <p>Tenant-scoped POSTs claim the key in the <em>same transaction</em> as the change (the action runs on a
 * context joined to that transaction), so the change and its stored reply commit together or not at all. The
 * stored body is sealed under the tenant's key (it can carry PHI) and a replay is audited for the patients it
 * concerns. Control-plane POSTs (onboarding, partner links) reserve the key first and store the reply, sealed
 * under the master key, when the action succeeds; a crash in between leaves the key reserved and a retry answers
 * 409 until the reservation is pruned, while the operations' own uniqueness (a used invitation, a taken slug)
 * keeps a second effect from happening.
 */
public final class Idempotency {

  private static final String HEADER = "Idempotency-Key";

  private static final String CLAIM = """
      INSERT INTO idempotency_record
        (tenant_id, user_id, idem_key, operation, fingerprint, status_code, headers)
      VALUES ($1, $2, $3, $4, $5, 0, '{}')
      ON CONFLICT DO NOTHING""";
  private static final String STORED = """
      SELECT operation, fingerprint, status_code, headers, body_sealed, patient_ids
      FROM idempotency_record
      WHERE tenant_id = $1 AND user_id = $2 AND idem_key = $3""";
  private static final String STORE = """
      UPDATE idempotency_record
      SET status_code = $4, headers = $5, body_sealed = $6, patient_ids = $7
      WHERE tenant_id = $1 AND user_id = $2 AND idem_key = $3""";
  private static final String PRUNE_TENANT = """
      DELETE FROM idempotency_record
      WHERE tenant_id = $1 AND created_at < now() - interval '24 hours'""";

  private static final String RESERVE = """
      INSERT INTO idempotency_record (scope, idem_key, fingerprint)
      VALUES ($1, $2, $3)
      ON CONFLICT DO NOTHING""";
  private static final String RESERVED = """
      SELECT fingerprint, status_code, reply_sealed
      FROM idempotency_record
      WHERE scope = $1 AND idem_key = $2""";
  private static final String COMPLETE = """
      UPDATE idempotency_record
      SET status_code = $3, reply_sealed = $4
      WHERE scope = $1 AND idem_key = $2""";
  private static final String RELEASE = "DELETE FROM idempotency_record WHERE scope = $1 AND idem_key = $2";
  private static final String PRUNE_CONTROL_PLANE = """
      DELETE FROM idempotency_record
      WHERE created_at < now() - interval '24 hours'""";

  private final TenantDb db;
  private final ControlPlane controlPlane;
  private final MasterKey master;
  private final TenantKeyring keyring;
  private final AuditTrail audit;
  private final SecretKey fingerprintKey;

  public Idempotency(TenantDb db, ControlPlane controlPlane, MasterKey master, TenantKeyring keyring,
                     AuditTrail audit) {
    this.db = db;
    this.controlPlane = controlPlane;
    this.master = master;
    this.keyring = keyring;
    this.audit = audit;
    this.fingerprintKey = master.derive("idempotency-fingerprint");
  }

  /**
   * Runs a tenant-scoped POST at most once per key. With a key, it runs inside the transaction that claims the key:
   * {@code action} gets the context joined to that transaction and must write through it, so its writes and the
   * stored reply commit together. Without a key, {@code action} gets {@code ctx} and each write is its own.
   */
  public Future<Reply> inTransaction(RoutingContext rc, TenantContext ctx,
                                     Function<TenantContext, Future<Reply>> action) {
    String key = key(rc);
    if (key == null) {
      return action.apply(ctx);
    }
    String operation = operationId(rc);
    byte[] fingerprint = fingerprint(rc, operation);
    Tuple id = Tuple.of(ctx.tenantId().value(), ctx.userId(), key);
    String binding = "idempotency/" + ctx.userId() + "/" + key;
    Tuple claim = Tuple.of(ctx.tenantId().value(), ctx.userId(), key, operation, Buffer.buffer(fingerprint));
    return keyring.keys(ctx.tenantId()).compose(keys -> db.inTenantTransaction(ctx, (conn, joined) -> conn
            .preparedQuery(CLAIM).execute(claim)
            .compose(claimed -> claimed.rowCount() == 1
                ? action.apply(joined).compose(reply -> store(conn, id, reply, keys.seal(binding,
                    reply.body() == null ? "null" : reply.body().encode())))
                : conn.preparedQuery(STORED).execute(id).map(rows -> {
                  ctx.audit().withheld(); // a replay changes nothing: it records request.replay, not the operation
                  return replay(rows.iterator().next(), operation, fingerprint, keys, binding);
                }))))
        .compose(reply -> isReplay(reply) && !reply.patients().isEmpty()
            ? audit.recordOutcome(ctx, new AuditEvent("request.replay", operation, null, reply.patients(),
                AuditEvent.Outcome.SUCCESS, null), Future.succeededFuture(reply))
            : Future.succeededFuture(reply));
  }

  /** {@link #inTransaction(RoutingContext, TenantContext, Function)} as the tenant the request's token names. */
  public Future<Reply> inTransaction(RoutingContext rc, Function<TenantContext, Future<Reply>> action) {
    return inTransaction(rc, Requests.tenant(rc), action);
  }

  /** Runs a control-plane POST at most once per key within {@code principal}'s scope. */
  public Future<Reply> inControlPlane(RoutingContext rc, String principal, Supplier<Future<Reply>> action) {
    String key = key(rc);
    if (key == null) {
      return action.get();
    }
    String scope = operationId(rc) + ":" + principal;
    byte[] fingerprint = fingerprint(rc, scope);
    return controlPlane.pool().preparedQuery(RESERVE).execute(Tuple.of(scope, key, Buffer.buffer(fingerprint)))
        .compose(reserved -> reserved.rowCount() == 1
            ? runReserved(scope, key, action)
            : controlPlane.pool().preparedQuery(RESERVED).execute(Tuple.of(scope, key)).map(rows -> {
              withhold(rc); // a replay changes nothing: the first request recorded the operation
              return replaySealed(rows.iterator().next(), scope, key, fingerprint);
            }));
  }

  private static void withhold(RoutingContext rc) {
    OperationAudit record = rc.get(Requests.AUDIT);
    if (record != null) {
      record.withheld();
    }
  }

  /** The control-plane principal of an authenticated caller: the user, in their active tenant. */
  public static String principal(TenantContext ctx) {
    return ctx.userId() + "@" + ctx.tenantId();
  }

  /** Deletes a tenant's stored replies older than a day. */
  public Future<Integer> pruneTenant(TenantContext ctx) {
    return db.once(ctx, conn -> conn.preparedQuery(PRUNE_TENANT).execute(Tuple.of(ctx.tenantId().value())))
        .map(rows -> rows.rowCount());
  }

  /** Deletes control-plane reservations and replies older than a day. */
  public Future<Integer> pruneControlPlane() {
    return controlPlane.pool().query(PRUNE_CONTROL_PLANE).execute().map(rows -> rows.rowCount());
  }

  private Future<Reply> runReserved(String scope, String key, Supplier<Future<Reply>> action) {
    Future<Reply> result;
    try {
      result = action.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.transform(done -> {
      if (done.failed()) {
        return release(scope, key).transform(released -> Future.failedFuture(done.cause()));
      }
      Reply reply = done.result();
      byte[] sealed = master.seal(serialize(reply).toBuffer().getBytes(), sealContext(scope, key));
      // If the reply cannot be stored, free the key: a retry then runs again rather than answering 409 for a day.
      return controlPlane.pool().preparedQuery(COMPLETE)
          .execute(Tuple.of(scope, key, reply.status(), Buffer.buffer(sealed)))
          .transform(stored -> stored.succeeded() ? Future.succeededFuture(reply)
              : release(scope, key).map(reply));
    });
  }

  private Future<Void> release(String scope, String key) {
    return controlPlane.pool().preparedQuery(RELEASE).execute(Tuple.of(scope, key)).otherwiseEmpty().mapEmpty();
  }

  private Reply replaySealed(Row row, String scope, String key, byte[] fingerprint) {
    if (!MessageDigest.isEqual(row.getBuffer("fingerprint").getBytes(), fingerprint)) {
      throw new Unprocessable("this Idempotency-Key was already used with a different request");
    }
    if (row.getInteger("status_code") == null) {
      throw new Conflict("a request with this Idempotency-Key is still in progress; retry shortly");
    }
    byte[] opened = master.open(row.getBuffer("reply_sealed").getBytes(), sealContext(scope, key));
    JsonObject stored = new JsonObject(Buffer.buffer(opened));
    return replayed(Reply.restore(stored.getInteger("status"), stored.getJsonObject("headers"),
        stored.getJsonObject("body"), List.of()));
  }

  private static Future<Reply> store(SqlConnection conn, Tuple id, Reply reply, byte[] sealedBody) {
    return conn.preparedQuery(STORE)
        .execute(Tuple.from(new Object[] {id.getValue(0), id.getValue(1), id.getValue(2), reply.status(),
            reply.headersJson(), Buffer.buffer(sealedBody), reply.patients().toArray(new UUID[0])}))
        .map(reply);
  }

  private static Reply replay(Row row, String operation, byte[] fingerprint, TenantKeys keys, String binding) {
    if (!operation.equals(row.getString("operation"))
        || !MessageDigest.isEqual(row.getBuffer("fingerprint").getBytes(), fingerprint)) {
      throw new Unprocessable("this Idempotency-Key was already used with a different request");
    }
    String body = keys.open(binding, row.getBuffer("body_sealed").getBytes());
    return replayed(Reply.restore(row.getInteger("status_code"), row.getJsonObject("headers"),
        "null".equals(body) ? null : new JsonObject(body), Arrays.asList(row.getArrayOfUUIDs("patient_ids"))));
  }

  private static Reply replayed(Reply reply) {
    Map<String, String> headers = new LinkedHashMap<>(reply.headers());
    headers.put("Idempotent-Replayed", "true");
    return new Reply(reply.status(), headers, reply.body(), reply.patients());
  }

  private static boolean isReplay(Reply reply) {
    return "true".equals(reply.headers().get("Idempotent-Replayed"));
  }

  private static JsonObject serialize(Reply reply) {
    return new JsonObject().put("status", reply.status()).put("headers", reply.headersJson())
        .put("body", reply.body());
  }

  private static String sealContext(String scope, String key) {
    return "idempotency|" + scope + "|" + key;
  }

  /** What makes two requests "the same": operation, method, path, If-Match and body. */
  private byte[] fingerprint(RoutingContext rc, String operation) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(fingerprintKey);
      for (String part : new String[] {operation, rc.request().method().name(), rc.request().path(),
          String.valueOf(rc.request().getHeader("If-Match"))}) {
        mac.update(part.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
      }
      Buffer body = rc.body().buffer();
      if (body != null) {
        mac.update(body.getBytes());
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The request's key, honoured only where the contract declares the {@code Idempotency-Key} parameter. Operations
   * that issue credentials (login, refresh, switch-tenant, accepting an invitation) do not: tokens are never kept
   * for a replay, and a spent refresh token presented again must meet reuse detection.
   */
  private static String key(RoutingContext rc) {
    Object op = rc.currentRoute().getMetadata(RouterBuilder.KEY_META_DATA_OPERATION);
    boolean declared = op instanceof Operation operation && operation.getParameters().stream()
        .anyMatch(p -> p.getIn() == Location.HEADER && HEADER.equalsIgnoreCase(p.getName()));
    return declared ? rc.request().getHeader(HEADER) : null;
  }

  private static String operationId(RoutingContext rc) {
    Object op = rc.currentRoute().getMetadata(RouterBuilder.KEY_META_DATA_OPERATION);
    return op instanceof Operation operation ? operation.getOperationId() : rc.request().path();
  }
}
