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

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
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

  private final TenantDb db;
  private final ControlPlane controlPlane;
  private final MasterKey master;
  private final TenantKeyring keyring;
  private final AuditTrail audit;
  private final SecretKey fingerprintKey;
  private final IdempotencyRepository records = new IdempotencyRepository();

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
    return this.<Void>inTransaction(rc, ctx, null, (joined, none) -> action.apply(joined));
  }

  /**
   * {@link #inTransaction(RoutingContext, TenantContext, Function)} with a read the action needs issued on the
   * joined context right behind the claim, in the same network flush, instead of a round trip after the claim's
   * answer; the action gets its future. {@code read} must only read: on a replay its answer is dropped. Without a key
   * (or {@code read} null) the action gets null and reads for itself.
   */
  public <R> Future<Reply> inTransaction(RoutingContext rc, TenantContext ctx, Function<TenantContext, Future<R>> read,
                                         BiFunction<TenantContext, Future<R>, Future<Reply>> action) {
    String key = key(rc);
    if (key == null) {
      return action.apply(ctx, null);
    }
    String operation = operationId(rc);
    byte[] fingerprint = fingerprint(rc, operation);
    String binding = "idempotency/" + ctx.userId() + "/" + key;
    return keyring.keys(ctx.tenantId()).compose(keys -> db.inTenantTransaction(ctx, (conn, joined) -> {
      Future<Boolean> claim = records.claim(conn, ctx, key, operation, fingerprint);
      Future<R> early = read == null ? null : issued(read, joined);
      return claim.compose(claimed -> claimed
          ? action.apply(joined, early).map(reply -> {
            // The stored reply rides with the audit record: one round trip for both, and no commit unless both
            // were written.
            joined.transaction().commitsWith(records.store(conn, ctx, key, reply,
                keys.seal(binding, reply.bodyText())));
            return reply;
          })
          : records.stored(conn, ctx, key).map(stored -> {
            ctx.audit().withheld(); // a replay changes nothing: it records request.replay, not the operation
            return replay(stored, operation, fingerprint, keys, binding);
          }));
    }))
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
    return records.reserve(controlPlane.pool(), scope, key, fingerprint)
        .compose(reserved -> reserved
            ? runReserved(scope, key, action)
            : records.reserved(controlPlane.pool(), scope, key).map(reservation -> {
              withhold(rc); // a replay changes nothing: the first request recorded the operation
              return replaySealed(reservation, scope, key, fingerprint);
            }));
  }

  private static <R> Future<R> issued(Function<TenantContext, Future<R>> read, TenantContext joined) {
    try {
      return read.apply(joined);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
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
    return db.once(ctx, conn -> records.pruneTenant(conn, ctx.tenantId()));
  }

  /** Deletes control-plane reservations and replies older than a day. */
  public Future<Integer> pruneControlPlane() {
    return records.pruneControlPlane(controlPlane.pool());
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
      return records.complete(controlPlane.pool(), scope, key, reply.status(), sealed)
          .transform(stored -> stored.succeeded() ? Future.succeededFuture(reply)
              : release(scope, key).map(reply));
    });
  }

  private Future<Void> release(String scope, String key) {
    return records.release(controlPlane.pool(), scope, key).otherwiseEmpty();
  }

  private Reply replaySealed(IdempotencyRepository.Reservation reservation, String scope, String key,
                             byte[] fingerprint) {
    if (!MessageDigest.isEqual(reservation.fingerprint(), fingerprint)) {
      throw new Unprocessable("this Idempotency-Key was already used with a different request");
    }
    if (reservation.status() == null) {
      throw new Conflict("a request with this Idempotency-Key is still in progress; retry shortly");
    }
    byte[] opened = master.open(reservation.replySealed(), sealContext(scope, key));
    JsonObject stored = new JsonObject(Buffer.buffer(opened));
    return replayed(Reply.restore(stored.getInteger("status"), stored.getJsonObject("headers"),
        stored.getJsonObject("body"), List.of()));
  }

  private static Reply replay(IdempotencyRepository.TenantRecord stored, String operation, byte[] fingerprint,
                              TenantKeys keys, String binding) {
    if (!operation.equals(stored.operation()) || !MessageDigest.isEqual(stored.fingerprint(), fingerprint)) {
      throw new Unprocessable("this Idempotency-Key was already used with a different request");
    }
    String body = keys.open(binding, stored.bodySealed());
    return replayed(Reply.restore(stored.status(), stored.headers(), "null".equals(body) ? null : new JsonObject(body),
        stored.patients()));
  }

  private static Reply replayed(Reply reply) {
    Map<String, String> headers = new LinkedHashMap<>(reply.headers());
    headers.put("Idempotent-Replayed", "true");
    return reply.with(reply.status(), headers);
  }

  private static boolean isReplay(Reply reply) {
    return "true".equals(reply.headers().get("Idempotent-Replayed"));
  }

  private static JsonObject serialize(Reply reply) {
    return new JsonObject().put("status", reply.status()).put("headers", reply.headersJson())
        .put("body", reply.bodyJson());
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
