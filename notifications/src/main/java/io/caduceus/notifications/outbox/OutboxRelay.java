package io.caduceus.notifications.outbox;

import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivers the outbox messages of some topic families: at least once, in commit order per ordering key, with
 * exponential backoff and jitter, and a dead state after {@code maxAttempts} or a {@link PermanentFailure}.
 *
 * <p>Each sending tenant's due messages are claimed with {@code FOR UPDATE SKIP LOCKED} in a transaction under
 * that tenant's own scope, delivered one by one, and marked in the same transaction, so several relays (on
 * several nodes) share the work without delivering a message twice concurrently. A crash after delivering and
 * before committing redelivers the message; handlers recognise what they already applied.
 */
public final class OutboxRelay {

  private static final UUID RELAY = new UUID(0, 2);

  private final TenantDb db;
  private final RegionRegistry regions;
  private final String[] families;
  private final RelayHandler handler;
  private final int batch;
  private final int maxAttempts;
  private final long baseDelayMs;

  /**
   * A relay of the topics whose first segment is one of {@code families} ("exchange" takes
   * "exchange.lab_order.placed").
   */
  public OutboxRelay(TenantDb db, RegionRegistry regions, List<String> families, RelayHandler handler, int batch,
                     int maxAttempts, long baseDelayMs) {
    this.db = db;
    this.regions = regions;
    this.families = families.toArray(String[]::new);
    this.handler = handler;
    this.batch = batch;
    this.maxAttempts = maxAttempts;
    this.baseDelayMs = baseDelayMs;
  }

  /** Delivers what is due in every region this node serves; returns how many messages were handled. */
  public Future<Integer> runOnce() {
    Future<Integer> total = Future.succeededFuture(0);
    for (String region : regions.regions()) {
      total = total.compose(sum -> runRegion(region).map(n -> sum + n));
    }
    return total;
  }

  /**
   * Tenants relayed at once. A tenant's claim holds a connection while its handler may open another (the engagement
   * intake writes each notice in a transaction of its own), so claiming every due tenant at once could hold the
   * whole pool with claims waiting for connections; a few at a time leaves most of the pool to requests.
   */
  static final int TENANTS_AT_ONCE = 4;

  private Future<Integer> runRegion(String region) {
    return dueTenants(region).compose(tenants -> {
      Future<Integer> total = Future.succeededFuture(0);
      for (int from = 0; from < tenants.size(); from += TENANTS_AT_ONCE) {
        List<TenantId> wave = tenants.subList(from, Math.min(tenants.size(), from + TENANTS_AT_ONCE));
        total = total.compose(sum -> {
          List<Future<Integer>> runs = new ArrayList<>();
          for (TenantId tenant : wave) {
            runs.add(runTenant(TenantContext.system(tenant, region, IsolationTier.SHARED, RELAY, Set.of(),
                "relay")));
          }
          return Future.all(runs).map(all -> {
            int n = sum;
            for (int i = 0; i < all.size(); i++) {
              n += all.<Integer>resultAt(i);
            }
            return n;
          });
        });
      }
      return total;
    });
  }

  private Future<List<TenantId>> dueTenants(String region) {
    String loop = "relay:" + String.join(",", families);
    return db.scan(loop, region, RelaySql.DUE_TENANTS, Tuple.of((Object) families)).map(rows -> {
      List<TenantId> tenants = new ArrayList<>();
      rows.forEach(row -> tenants.add(new TenantId(row.getUUID("tenant_id"))));
      return tenants;
    });
  }

  private Future<Integer> runTenant(TenantContext sender) {
    return db.inTenant(sender, conn -> conn.preparedQuery(RelaySql.CLAIM).execute(Tuple.of(families, batch))
        .compose(rows -> {
          Future<Integer> handled = Future.succeededFuture(0);
          for (Row row : rows) {
            OutboxRecord message = OutboxRecord.fromRow(sender.tenantId(), row);
            handled = handled.compose(n -> deliver(conn, sender, message).map(n + 1));
          }
          return handled;
        }));
  }

  private Future<Void> deliver(SqlConnection conn, TenantContext sender, OutboxRecord message) {
    Future<Void> delivered;
    try {
      delivered = handler.deliver(sender, message);
    } catch (RuntimeException e) {
      delivered = Future.failedFuture(e);
    }
    return delivered.transform(outcome -> record(conn, message, outcome));
  }

  private Future<Void> record(SqlConnection conn, OutboxRecord message, AsyncResult<Void> outcome) {
    if (outcome.succeeded()) {
      return conn.preparedQuery(RelaySql.DELIVERED).execute(Tuple.of(message.id())).mapEmpty();
    }
    Throwable cause = outcome.cause();
    if (cause instanceof Deferred deferred) {
      return conn.preparedQuery(RelaySql.DEFER)
          .execute(Tuple.of(message.id(), deferred.getMessage(), deferred.delayMs())).mapEmpty();
    }
    if (cause instanceof PermanentFailure permanent) {
      return conn.preparedQuery(RelaySql.DEAD).execute(Tuple.of(message.id(), permanent.getMessage())).mapEmpty();
    }
    return conn.preparedQuery(RelaySql.RETRY)
        .execute(Tuple.of(message.id(), cause.getClass().getSimpleName(), backoff(message.attempts()), maxAttempts))
        .mapEmpty();
  }

  /** Exponential backoff with full jitter, capped at ten minutes. */
  private long backoff(int attempts) {
    long ceiling = Math.min(600_000L, baseDelayMs << Math.min(attempts, 20));
    return baseDelayMs + ThreadLocalRandom.current().nextLong(Math.max(1, ceiling));
  }
}
