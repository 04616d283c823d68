package io.caduceus.routing.quota;

import io.caduceus.routing.CallerPromise;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Per-tenant bulkheads around the database pools: a tenant holds at most {@code perTenant} connections of a node at
 * once, so one tenant's load can never take the whole pool from the others. Work past the limit waits in a short
 * per-tenant queue, for at most {@code waitMs}; past that, or with the queue full, it fails with {@link Full}
 * (the API answers 503 with Retry-After), which also breaks any wait cycle between tenants. A waiter is handed its
 * permit by whichever request releases one, on that request's event loop; it resumes on its own
 * ({@link CallerPromise}).
 */
public final class Bulkheads {

  /** No limits: every acquisition succeeds at once. */
  public static final Bulkheads NONE = new Bulkheads(null, Integer.MAX_VALUE, 0, 0);

  private final Vertx vertx;
  private final int perTenant;
  private final int maxWaiting;
  private final long waitMs;
  private final Map<TenantId, Compartment> compartments = new ConcurrentHashMap<>();

  public Bulkheads(Vertx vertx, int perTenant, int maxWaiting, long waitMs) {
    this.vertx = vertx;
    this.perTenant = Math.max(1, perTenant);
    this.maxWaiting = maxWaiting;
    this.waitMs = waitMs;
  }

  /** The tenant's database capacity on this node is spent; retry shortly. */
  public static final class Full extends RuntimeException {
    Full() {
      super("the tenant's database capacity on this node is in use", null, false, false);
    }
  }

  private static final class Compartment {
    int inUse;
    final Deque<CallerPromise<Void>> waiting = new ArrayDeque<>();
  }

  /** Runs {@code work} holding one of the tenant's permits. */
  public <T> Future<T> run(TenantId tenant, Supplier<Future<T>> work) {
    if (perTenant == Integer.MAX_VALUE) {
      return work.get();
    }
    return acquire(tenant).compose(v -> {
      Future<T> done;
      try {
        done = work.get();
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      return done.andThen(x -> release(tenant));
    });
  }

  private Future<Void> acquire(TenantId tenant) {
    Compartment c = compartments.computeIfAbsent(tenant, t -> new Compartment());
    CallerPromise<Void> turn;
    synchronized (c) {
      if (c.inUse < perTenant) {
        c.inUse++;
        return Future.succeededFuture();
      }
      if (c.waiting.size() >= maxWaiting) {
        return Future.failedFuture(new Full());
      }
      turn = CallerPromise.ofCaller(vertx);
      c.waiting.addLast(turn);
    }
    long timer = vertx.setTimer(Math.max(1, waitMs), id -> {
      boolean removed;
      synchronized (c) {
        removed = c.waiting.remove(turn);
      }
      if (removed) {
        turn.fail(new Full());
      }
    });
    return turn.future().andThen(x -> vertx.cancelTimer(timer));
  }

  private void release(TenantId tenant) {
    Compartment c = compartments.get(tenant);
    CallerPromise<Void> next;
    synchronized (c) {
      next = c.waiting.pollFirst();
      if (next == null) {
        c.inUse--;
        return;
      }
    }
    // The permit passes to the waiter as it is: it stays counted in use.
    next.succeed(null);
  }
}
