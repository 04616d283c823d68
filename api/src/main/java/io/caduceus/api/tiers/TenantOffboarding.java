package io.caduceus.api.tiers;

import io.caduceus.api.auth.AuthService;
import io.caduceus.api.auth.Revocations;
import io.caduceus.api.error.Conflict;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.PlaceDoor;
import io.caduceus.routing.Placement;
import io.caduceus.routing.PlacementView;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.TenantRows;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.catalog.TenantStatus;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Tenant offboarding, a background job ({@link ArchiveJobs}): it suspends the tenant (its sessions end), exports it,
 * deletes its rows (or drops its schema or database), checks nothing is left, and destroys its data keys. Whatever
 * was sealed under them, in any leftover copy anywhere (a database backup, a replica, a stray export), can no longer
 * be opened.
 */
public final class TenantOffboarding {

  static final String OFFBOARDED = """
      UPDATE tenant
      SET status = 'offboarded', isolation_tier = 'shared', place_version = NULL, move_state = NULL,
        updated_at = now(), version = version + 1
      WHERE id = $1""";

  private final Vertx vertx;
  private final ControlPlane controlPlane;
  private final TenantCatalog catalog;
  private final PlaceDoor places;
  private final PlacementView placements;
  private final TenantKeyring keyring;
  private final Revocations revocations;
  private final AuthService auth;
  private final TenantExports exports;
  private final ArchiveJobs jobs;
  private final Duration settle;

  /** {@code settle} is how long it waits, once the tenant is suspended, for requests under way to end. */
  public TenantOffboarding(Vertx vertx, ControlPlane controlPlane, TenantCatalog catalog, PlaceDoor places,
                           PlacementView placements, TenantKeyring keyring, Revocations revocations,
                           AuthService auth, TenantExports exports, ArchiveJobs jobs,
                           Duration settle) {
    this.vertx = vertx;
    this.controlPlane = controlPlane;
    this.catalog = catalog;
    this.places = places;
    this.placements = placements;
    this.keyring = keyring;
    this.revocations = revocations;
    this.auth = auth;
    this.exports = exports;
    this.jobs = jobs;
    this.settle = settle;
  }

  /** Offboards the tenant (platform owner only): export, delete its data, destroy its keys. */
  public Future<JsonObject> offboard(TenantContext ctx, TenantId tenantId) {
    return ArchiveJobs.requirePlatform(ctx)
        .compose(v -> jobs.tenant(tenantId))
        .compose(tenant -> {
          if (tenant.id().equals(ctx.tenantId())) {
            throw new Conflict("the platform cannot offboard itself");
          }
          if (tenant.status() == TenantStatus.OFFBOARDED) {
            throw new Conflict("the tenant is already offboarded");
          }
          return jobs.start(ctx, tenant, "offboard", job -> offboard(tenant, job));
        });
  }

  private Future<JsonObject> offboard(Tenant tenant, ArchiveJob job) {
    Placement place = placements.of(tenant.id(), tenant.dataRegion());
    return job.step("suspend")
        .compose(v -> catalog.transition(tenant.id(), Set.of(TenantStatus.ACTIVE, TenantStatus.PENDING,
            TenantStatus.SUSPENDED), TenantStatus.SUSPENDED))
        .compose(v -> revocations.suspend(tenant.id()))
        .compose(v -> auth.endTenant(tenant.id(), "tenant offboarded"))
        .compose(v -> TenantJobs.after(vertx, settle))
        .compose(v -> job.step("export"))
        .compose(v -> exports.write(tenant, job))
        .compose(manifest -> job.step("delete").compose(v -> deleteData(tenant, place, job)).map(manifest))
        .compose(manifest -> job.step("shred").compose(v -> keyring.destroy(tenant.id())).map(destroyed -> {
          job.progress.put("keysDestroyed", destroyed);
          return manifest;
        }))
        .compose(manifest -> controlPlane.pool().preparedQuery(OFFBOARDED).execute(Tuple.of(tenant.id().value()))
            .compose(v -> {
              catalog.invalidate(tenant.id());
              return placements.refresh();
            })
            .map(v -> job.archived(manifest)));
  }

  private Future<Void> deleteData(Tenant tenant, Placement place, ArchiveJob job) {
    if (place.tier() != IsolationTier.SHARED) {
      return places.drop(place).map(v -> {
        job.progress.put("deleted", "dropped the tenant's " + place.tier().wire());
        return (Void) null;
      });
    }
    TenantRows rows = places.rows(place, tenant.id(), "tenant-job-" + job.id);
    return rows.tables().compose(tables -> rows.deleteAll(tables).compose(deleted -> {
      job.progress.put("deleted", deleted);
      List<Future<TenantRows.Tally>> left = new ArrayList<>();
      tables.forEach(table -> left.add(rows.tally(table)));
      return Future.all(left).compose(v -> left.stream().allMatch(t -> t.result().rows() == 0)
          ? Future.<Void>succeededFuture()
          : Future.<Void>failedFuture(new IllegalStateException("rows of the tenant remain after deletion")));
    })).andThen(done -> rows.close());
  }
}
