package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.channel.Receipt;
import io.caduceus.notifications.channel.SendFailure;
import io.caduceus.notifications.channel.Sender;
import io.caduceus.notifications.template.Composer;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.Timestamps;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Delivers due messages. One cycle visits every tenant with due work in every region this node serves and takes
 * at most {@code perTenantBatch} of each tenant's messages, so a tenant's backlog of 50,000 costs another tenant
 * at most one cycle. Per tenant: claim and mark 'sending' (commit), call the providers, record the outcomes
 * (commit). Several dispatchers, on several nodes, share the work through {@code SKIP LOCKED}; a dispatcher that
 * dies mid-send leaves its messages 'sending' until the lease runs out, and the next one reconciles them. A tenant's
 * messages of held topics ({@link TopicHolds}: a module it has off) are passed over, untouched, until the hold ends.
 */
public final class Dispatcher {

  private static final UUID ENGINE = new UUID(0, 4);
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final TenantDb db;
  private final RegionRegistry regions;
  private final TenantSenders senders;
  private final ProviderLimits limits;
  private final Planner planner;
  private final Recorder recorder;
  private final Clock clock;

  public Dispatcher(TenantDb db, RegionRegistry regions, Recipients recipients, TenantKeyring keyring,
                    TenantSenders senders, ProviderLimits limits, Composer composer, DispatchOptions options,
                    TopicHolds holds, Clock clock) {
    this.db = db;
    this.regions = regions;
    this.senders = senders;
    this.limits = limits;
    this.planner = new Planner(recipients, keyring, composer, new DeliveryPolicy(), options, holds);
    this.recorder = new Recorder(options.maxAttempts(), options.retryBase());
    this.clock = clock;
  }

  /** Runs one cycle; returns how many messages it handled (sent, deferred, closed or retried). */
  public Future<Integer> runOnce() {
    Future<Integer> total = Future.succeededFuture(0);
    for (String region : regions.regions()) {
      total = total.compose(sum -> runRegion(region).map(n -> sum + n));
    }
    return total;
  }

  private Future<Integer> runRegion(String region) {
    Instant now = clock.instant();
    return db.scan("dispatcher", region, MessageSql.DUE_TENANTS, Tuple.of(Timestamps.utc(now)))
        .compose(rows -> {
          List<Future<Integer>> runs = new ArrayList<>();
          rows.forEach(row -> runs.add(runTenant(TenantContext.system(new TenantId(row.getUUID("tenant_id")), region,
              IsolationTier.SHARED, ENGINE, Set.of(), "engagement"))));
          return Future.join(runs).transform(done -> {
            int sum = 0;
            for (Future<Integer> run : runs) {
              if (run.succeeded()) {
                sum += run.result();
              } else {
                LOG.warn("a tenant's dispatch cycle failed: {}", run.cause().getClass().getSimpleName());
                LOG.debug("dispatch cycle failure", run.cause());
              }
            }
            return Future.succeededFuture(sum);
          });
        });
  }

  private Future<Integer> runTenant(TenantContext ctx) {
    Instant now = clock.instant();
    return db.inTenant(ctx, conn -> planner.claim(conn, ctx, now))
        .compose(attempts -> {
          List<Future<Outcome>> sends = new ArrayList<>();
          attempts.forEach(a -> sends.add(send(ctx, a)));
          return Future.all(sends).map(all -> {
            List<Outcome> outcomes = new ArrayList<>();
            sends.forEach(f -> outcomes.add(f.result()));
            return outcomes;
          });
        })
        .compose(outcomes -> outcomes.isEmpty() ? Future.succeededFuture(0)
            : db.inTenant(ctx, conn -> recorder.record(conn, outcomes, clock.instant())).map(outcomes.size()));
  }

  private Future<Outcome> send(TenantContext ctx, Attempt a) {
    return senders.sender(ctx, a.channel())
        .compose(sender -> lookUp(sender, a).compose(found -> found.isPresent()
            ? Future.<Outcome>succeededFuture(new Outcome.Sent(a, found.get(), true, List.of()))
            : limits.waitFor(sender.account()).compose(waitMs -> waitMs > 0
                ? Future.succeededFuture(new Outcome.Throttled(a, clock.instant().plusMillis(waitMs)))
                : deliver(sender, a))))
        .recover(e -> Future.succeededFuture(new Outcome.Retry(a, reason(e), List.of())));
  }

  private static Future<Optional<Receipt>> lookUp(Sender sender, Attempt a) {
    if (!a.reconcile() || !sender.canLookUp()) {
      return Future.succeededFuture(Optional.empty());
    }
    return sender.lookUp(a.outgoing(a.addresses().get(0)), a.sendingSince(), a.claimed())
        .map(found -> found.map(r -> new Receipt(sender.account(), r.providerMessageId())));
  }

  /** Sends to every address (every device of a patient) and sums up: one acceptance is a success. */
  private static Future<Outcome> deliver(Sender sender, Attempt a) {
    List<Future<Receipt>> sends = new ArrayList<>();
    a.addresses().forEach(address -> sends.add(sender.send(a.outgoing(address))));
    return Future.join(sends).transform(done -> {
      Receipt accepted = null;
      List<String> gone = new ArrayList<>();
      String permanent = null;
      String retryable = null;
      String goneReason = null;
      for (int i = 0; i < sends.size(); i++) {
        Future<Receipt> f = sends.get(i);
        if (f.succeeded()) {
          accepted = accepted == null ? new Receipt(sender.account(), f.result().providerMessageId()) : accepted;
        } else if (f.cause() instanceof SendFailure failure && failure.kind() == SendFailure.Kind.ADDRESS_GONE) {
          gone.add(a.addresses().get(i));
          goneReason = failure.getMessage();
        } else if (f.cause() instanceof SendFailure failure && failure.kind() == SendFailure.Kind.PERMANENT) {
          permanent = failure.getMessage();
        } else {
          retryable = reason(f.cause());
        }
      }
      List<String> goneTokens = a.channel() == Channel.PUSH ? gone : List.of();
      Outcome outcome;
      if (accepted != null) {
        outcome = new Outcome.Sent(a, accepted, false, goneTokens);
      } else if (permanent != null) {
        outcome = new Outcome.Failed(a, permanent);
      } else if (retryable != null) {
        outcome = new Outcome.Retry(a, retryable, goneTokens);
      } else {
        outcome = new Outcome.Gone(a, goneReason, goneTokens);
      }
      return Future.succeededFuture(outcome);
    });
  }

  private static String reason(Throwable e) {
    return e instanceof SendFailure ? e.getMessage() : e.getClass().getSimpleName();
  }
}
