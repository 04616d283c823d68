package io.caduceus.api.boot;

import io.caduceus.routing.TenantContext;
import io.caduceus.routing.catalog.Tenant;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Background work that needs no request: sealing the audit chain every few seconds, keeping the Redis revocation
 * cache complete (every second, {@link io.caduceus.api.auth.RevocationSync}), and hourly pruning of stored
 * idempotent replies older than a day (in the control plane, and in each tenant's region under that tenant's own
 * scope). Runs are never overlapped; a failed run is logged and retried at the next tick.
 */
public final class MaintenanceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceVerticle.class);
  private static final long PRUNE_EVERY_MS = 3_600_000;
  private static final Duration REVOCATION_SYNC_EVERY = Duration.ofSeconds(1);
  private static final UUID MAINTENANCE = new UUID(0, 1);

  private final Assembly assembly;
  private boolean sealing;
  private long sealTimer;
  private long pruneTimer;

  MaintenanceVerticle(Assembly assembly) {
    this.assembly = assembly;
  }

  @Override
  public Future<?> start() {
    sealTimer = vertx.setPeriodic(assembly.config.audit().sealInterval().toMillis(), id -> seal());
    assembly.revocationSync.start(vertx, REVOCATION_SYNC_EVERY);
    pruneTimer = vertx.setPeriodic(PRUNE_EVERY_MS, id -> assembly.idempotency.pruneControlPlane()
        .compose(n -> pruneTenants(null, null))
        .onFailure(e -> LOG.warn("idempotency pruning failed: {}", e.getClass().getSimpleName())));
    return Future.succeededFuture();
  }

  private Future<Void> pruneTenants(Instant afterCreated, UUID afterId) {
    return assembly.catalog.list(null, null, afterCreated, afterId, 200).compose(page -> {
      Future<Void> pruned = Future.succeededFuture();
      for (Tenant t : page.tenants()) {
        if (assembly.regions.serves(t.dataRegion())) {
          TenantContext scope = TenantContext.system(t.id(), t.dataRegion(), t.tier(), MAINTENANCE, Set.of(),
              "maintenance");
          pruned = pruned.compose(v -> assembly.idempotency.pruneTenant(scope).mapEmpty());
        }
      }
      return page.hasMore() ? pruned.compose(v -> pruneTenants(page.nextCreatedAt(), page.nextId())) : pruned;
    });
  }

  private void seal() {
    if (sealing) {
      return;
    }
    sealing = true;
    assembly.sealer.sealAll()
        .onFailure(e -> LOG.warn("audit sealing failed: {}", e.getClass().getSimpleName()))
        .onComplete(done -> sealing = false);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sealTimer);
    vertx.cancelTimer(pruneTimer);
    assembly.revocationSync.stop(vertx);
    return Future.succeededFuture();
  }
}
