package io.caduceus.api.audit;

import io.caduceus.routing.CallerPromise;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.RequestStage;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.Unauthorized;
import io.caduceus.api.error.Unavailable;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the audit trail. A write records its event in its own transaction ({@link #record}). A read records
 * its event through {@link #recordRead}, whose future completes only when the row has committed: reads arriving
 * while a commit is in flight share the next one (group commit), so PHI never leaves before its audit row is
 * durable and the cost of that durability is shared.
 */
public final class AuditTrail {

  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

  private static final int MAX_BATCH = 2_000;
  private static final int MAX_IN_FLIGHT = 2;

  private final Vertx vertx;
  private final TenantDb db;
  private final AuditRepository events = new AuditRepository();
  private final Map<String, RegionQueue> queues = new HashMap<>();

  private record Pending(TenantContext ctx, Tuple row, CallerPromise<Void> done) {
  }

  private static final class RegionQueue {
    final List<Pending> waiting = new ArrayList<>();
    int inFlight;
  }

  public AuditTrail(Vertx vertx, TenantDb db) {
    this.vertx = vertx;
    this.db = db;
  }

  /** Records an event inside the caller's open tenant transaction. */
  public Future<Void> record(SqlConnection conn, TenantContext ctx, AuditEvent event) {
    return events.insert(conn, AuditRepository.row(ctx, event));
  }

  /**
   * Records the outcome of an access that wrote no event of its own (a read, or a control-plane change) and
   * passes the result on only once the event is durable. Not-found and denied attempts are recorded too; if the
   * audit cannot be written, the call fails and no PHI leaves.
   */
  public <T> Future<T> recordOutcome(TenantContext ctx, AuditEvent event, AsyncResult<T> result) {
    AuditEvent recorded = event.withOutcome(outcome(result));
    return recordRead(ctx, recorded).transform(written -> {
      if (written.failed()) {
        return Future.failedFuture(new Unavailable("the audit trail is unavailable; nothing was read"));
      }
      return result.succeeded() ? Future.succeededFuture(result.result()) : Future.failedFuture(result.cause());
    });
  }

  /**
   * Records the outcome of a control-plane change (tenants, members, invitations). The change has committed in
   * another database by now, so a failure to write its event must not turn into "nothing happened": the write
   * is retried, then logged with the request id for reconciliation, and the change's result is passed on.
   */
  public <T> Future<T> recordChange(TenantContext ctx, AuditEvent event, AsyncResult<T> result) {
    if (result.failed()) {
      return afterWrite(ctx, event, result);
    }
    return retried(ctx, event.withOutcome(AuditEvent.Outcome.SUCCESS), 3)
        .transform(written -> Future.succeededFuture(result.result()));
  }

  private Future<Void> retried(TenantContext ctx, AuditEvent event, int attempts) {
    return recordRead(ctx, event).recover(failure -> {
      if (attempts > 1) {
        return vertx.timer(100).compose(v -> retried(ctx, event, attempts - 1));
      }
      LOG.error("audit event {} of request {} could not be written: {}", event.action(), ctx.requestId(),
          failure.getClass().getSimpleName());
      return Future.failedFuture(failure);
    });
  }

  /**
   * Records a write that failed before reaching the database (denied, not found, or refused credentials such as a
   * wrong second factor, recorded as denied); a successful write recorded its own event inside its transaction.
   */
  public <T> Future<T> afterWrite(TenantContext ctx, AuditEvent event, AsyncResult<T> result) {
    if (result.succeeded()) {
      return Future.succeededFuture(result.result());
    }
    if (!(result.cause() instanceof NotFound || result.cause() instanceof Forbidden
        || result.cause() instanceof Unauthorized)) {
      return Future.failedFuture(result.cause());
    }
    return recordRead(ctx, event.withOutcome(outcome(result)))
        .transform(written -> Future.failedFuture(result.cause()));
  }

  private static AuditEvent.Outcome outcome(AsyncResult<?> result) {
    if (result.succeeded()) {
      return AuditEvent.Outcome.SUCCESS;
    }
    if (result.cause() instanceof NotFound) {
      return AuditEvent.Outcome.NOT_FOUND;
    }
    return result.cause() instanceof Forbidden || result.cause() instanceof Unauthorized ? AuditEvent.Outcome.DENIED
        : AuditEvent.Outcome.FAILED;
  }

  /**
   * Records an event through the shared group commit; the future completes once the event is durable. It never
   * joins the caller's transaction, so the record of a failed attempt survives that transaction's rollback.
   */
  public Future<Void> recordRead(TenantContext ctx, AuditEvent event) {
    RequestStage grouped = RequestStage.start("audit group commit").of(null, ctx.requestId());
    CallerPromise<Void> done = CallerPromise.ofCaller(vertx);
    List<Pending> batch;
    synchronized (queues) {
      RegionQueue queue = queues.computeIfAbsent(ctx.region(), r -> new RegionQueue());
      queue.waiting.add(new Pending(ctx, AuditRepository.row(ctx, event), done));
      batch = take(queue);
    }
    if (batch != null) {
      flush(ctx.region(), batch);
    }
    return grouped.until(done.future());
  }

  private List<Pending> take(RegionQueue queue) {
    if (queue.inFlight >= MAX_IN_FLIGHT || queue.waiting.isEmpty()) {
      return null;
    }
    int n = Math.min(MAX_BATCH, queue.waiting.size());
    List<Pending> batch = new ArrayList<>(queue.waiting.subList(0, n));
    queue.waiting.subList(0, n).clear();
    queue.inFlight++;
    return batch;
  }

  private void flush(String region, List<Pending> batch) {
    Map<TenantContext, List<Tuple>> byTenant = new LinkedHashMap<>();
    Map<TenantId, TenantContext> scopes = new HashMap<>();
    for (Pending p : batch) {
      TenantContext scope = scopes.computeIfAbsent(p.ctx.tenantId(), t -> TenantContext.system(t, region,
          IsolationTier.SHARED, p.ctx.userId(), Set.of(), "audit-batch"));
      byTenant.computeIfAbsent(scope, s -> new ArrayList<>()).add(p.row);
    }
    Future<Void> written;
    try {
      written = db.inTenants(region, byTenant, events::insertAll);
    } catch (RuntimeException e) {
      written = Future.failedFuture(e);
    }
    written.onComplete(committed -> {
          for (Pending p : batch) {
            if (committed.succeeded()) {
              p.done.succeed(null);
            } else {
              p.done.fail(committed.cause());
            }
          }
          List<Pending> next;
          synchronized (queues) {
            RegionQueue queue = queues.get(region);
            queue.inFlight--;
            next = take(queue);
          }
          if (next != null) {
            flush(region, next);
          }
        });
  }
}
