package io.caduceus.api.boot;

import io.caduceus.routing.DatabaseOutage;
import io.caduceus.routing.RareWarning;
import io.caduceus.routing.RequestStage;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.catalog.Tenant;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Background work that needs no request: sealing the audit chain (every 250 ms while there are rows to seal, else
 * every configured interval), keeping the Redis revocation cache complete (every second,
 * {@link io.caduceus.api.auth.RevocationSync}), and hourly pruning of stored idempotent replies older than a day (in
 * the control plane, and in each tenant's region under that tenant's own scope). Runs are never overlapped; a failed
 * run is logged and retried at a later tick (while a database is down, once in a while rather than every tick).
 * Stopping lets the runs under way finish and starts no other. Once at
 * start, it rewrites the phone numbers saved in national format before numbers were stored in E.164
 * ({@code PhoneBackfill}) and brings the engagement rules and telehealth settings kept in the regions into the
 * configuration store ({@code TenantLevelBackfill}).
 */
public final class MaintenanceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceVerticle.class);
  private static final long PRUNE_EVERY_MS = 3_600_000;
  private static final long BUSY_SEAL_MS = 250;
  private static final Duration REVOCATION_SYNC_EVERY = Duration.ofSeconds(1);
  private static final UUID MAINTENANCE = new UUID(0, 1);
  private static final RareWarning OUTAGE = new RareWarning(LOG, 10_000);

  private final Assembly assembly;
  private long sealTimer;
  private long pruneTimer;
  private Future<?> sealing = Future.succeededFuture();
  private boolean sealIdle;
  private long lastSeal;
  private Future<?> pruning = Future.succeededFuture();

  MaintenanceVerticle(Assembly assembly) {
    this.assembly = assembly;
  }

  @Override
  public Future<?> start() {
    sealTimer = vertx.setPeriodic(Math.min(BUSY_SEAL_MS, assembly.config.audit().sealInterval().toMillis()), id -> {
      seal();
      // Reads the in-memory flags only; logs on the day's first tick.
      assembly.features.stale.warnIfDue();
    });
    assembly.phoneBackfill.run()
        .onFailure(e -> LOG.warn("phone number backfill failed: {}", e.getClass().getSimpleName()));
    assembly.engagement.backfill.run()
        .onFailure(e -> LOG.warn("engagement settings backfill failed: {}", e.getClass().getSimpleName()));
    assembly.telehealth.backfill.run()
        .onFailure(e -> LOG.warn("telehealth settings backfill failed: {}", e.getClass().getSimpleName()));
    assembly.access.revocationSync.start(vertx, REVOCATION_SYNC_EVERY);
    pruneTimer = vertx.setPeriodic(PRUNE_EVERY_MS, id -> prune());
    return Future.succeededFuture();
  }

  private void prune() {
    if (!pruning.isComplete()) {
      return;
    }
    pruning = run(() -> assembly.idempotency.pruneControlPlane().compose(n -> assembly.identity.ssoLogins.purge())
        .compose(n -> assembly.servedTenants.each(this::pruneTenant)))
        .onFailure(e -> failed("idempotency pruning", e));
  }

  private Future<Integer> pruneTenant(Tenant t) {
    TenantContext scope = TenantContext.system(t.id(), t.dataRegion(), t.tier(), MAINTENANCE, Set.of(),
        "maintenance");
    return assembly.idempotency.pruneTenant(scope);
  }

  /**
   * Seals every {@value #BUSY_SEAL_MS} ms while the runs find rows, so a run seals a few hundred rows rather than
   * the thousands a busy node writes in the configured interval (one burst of both cores that the requests under way
   * queued behind: bench/README.md, "The tail at 80 % of saturation"); after a run that sealed nothing, or failed,
   * the next waits the configured interval, so an idle node scans its tenants as seldom as before.
   */
  private void seal() {
    if (!sealing.isComplete()) {
      return;
    }
    long now = System.nanoTime();
    if (sealIdle && now - lastSeal < assembly.config.audit().sealInterval().toNanos()) {
      return;
    }
    lastSeal = now;
    Future<Integer> run;
    try {
      run = assembly.sealer.sealAll();
    } catch (RuntimeException e) {
      run = Future.failedFuture(e);
    }
    // Timed as a background stage (bench/stages.sh sets the requests it overlaps against it).
    sealing = RequestStage.start("audit seal").of(RequestStage.BACKGROUND, null).until(run)
        .andThen(done -> sealIdle = done.failed() || done.result() == 0)
        .onFailure(e -> failed("audit sealing", e));
  }

  private static Future<?> run(Supplier<Future<?>> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static void failed(String what, Throwable e) {
    if (DatabaseOutage.explains(e)) {
      OUTAGE.warn("{} waits for the database ({})", what, e.getClass().getSimpleName());
    } else {
      LOG.warn("{} failed: {}", what, e.getClass().getSimpleName());
    }
  }

  /** Starts no further run and completes when the runs under way have ended, however they ended. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sealTimer);
    vertx.cancelTimer(pruneTimer);
    assembly.access.revocationSync.stop(vertx);
    return Future.join(sealing, pruning).transform(ended -> Future.succeededFuture());
  }
}
