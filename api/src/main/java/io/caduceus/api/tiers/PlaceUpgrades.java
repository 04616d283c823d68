package io.caduceus.api.tiers;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.routing.CallerPromise;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.PlaceDoor;
import io.caduceus.routing.Placement;
import io.caduceus.routing.PlacementView;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.schema.PlaceMigrations;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Brings every tenant schema and database of this node's regions to the migrations of the region's own database,
 * one tenant after another, after start-up and whenever the platform owner asks. Progress is logged and reported;
 * a tenant whose place fails to migrate is recorded with the reason and made unavailable (503) on every node,
 * while the others go on. Running it again retries the failed ones.
 */
public final class PlaceUpgrades {

  private static final Logger LOG = LoggerFactory.getLogger(PlaceUpgrades.class);

  static final String BEHIND = """
      SELECT id, isolation_tier
      FROM tenant
      WHERE data_region = $1
        AND isolation_tier <> 'shared'
        AND (place_version IS DISTINCT FROM $2 OR place_failure IS NOT NULL)
      ORDER BY id""";
  static final String SUMMARY = """
      SELECT count(*) AS placed,
        count(*) FILTER (WHERE place_version = $2 AND place_failure IS NULL) AS current,
        coalesce(jsonb_agg(jsonb_build_object('tenantId', id, 'failure', place_failure) ORDER BY id)
          FILTER (WHERE place_failure IS NOT NULL), '[]'::jsonb) AS failed
      FROM tenant
      WHERE data_region = $1 AND isolation_tier <> 'shared'""";

  private final PlaceDoor places;
  private final PlacementView placements;
  private final ControlPlane controlPlane;
  private final RegionRegistry regions;
  private final AtomicInteger total = new AtomicInteger();
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private Future<Void> running;

  public PlaceUpgrades(PlaceDoor places, PlacementView placements, ControlPlane controlPlane, RegionRegistry regions) {
    this.places = places;
    this.placements = placements;
    this.controlPlane = controlPlane;
    this.regions = regions;
  }

  /** Starts a run unless one is under way on this node; the run (or the one under way). */
  public synchronized Future<Void> run() {
    if (running != null && !running.isComplete()) {
      return CallerPromise.follow(running);
    }
    total.set(0);
    done.set(0);
    failed.set(0);
    Future<Void> all = Future.succeededFuture();
    for (String region : regions.regions()) {
      all = all.compose(v -> upgradeRegion(region));
    }
    running = all.onFailure(e -> LOG.warn("tenant place upgrade stopped: {}", e.getClass().getSimpleName()));
    return running;
  }

  /** Starts a run (platform owner only) and answers with the progress. */
  public Future<JsonObject> start(TenantContext ctx) {
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE).compose(v -> {
      run();
      return status();
    });
  }

  /** Progress of this node's run, and per region how many tenant places are current or failed. */
  public Future<JsonObject> status(TenantContext ctx) {
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE).compose(v -> status());
  }

  private Future<JsonObject> status() {
    List<Future<JsonObject>> perRegion = new ArrayList<>();
    for (String region : regions.regions()) {
      perRegion.add(places.regionFingerprint(region).compose(version -> controlPlane.pool().preparedQuery(SUMMARY)
          .execute(Tuple.of(region, version)).map(rows -> {
            Row row = rows.iterator().next();
            return new JsonObject().put("region", region).put("version", version)
                .put("placed", row.getLong("placed")).put("current", row.getLong("current"))
                .put("failed", new JsonArray(row.getJsonArray("failed").getList()));
          })));
    }
    boolean underway = running != null && !running.isComplete();
    return Future.all(perRegion).map(v -> new JsonObject()
        .put("run", new JsonObject().put("running", underway).put("total", total.get()).put("done", done.get())
            .put("failed", failed.get()))
        .put("regions", new JsonArray(perRegion.stream().map(Future::result).toList())));
  }

  private Future<Void> upgradeRegion(String region) {
    return places.regionFingerprint(region).compose(version -> controlPlane.pool().preparedQuery(BEHIND)
        .execute(Tuple.of(region, version)).compose(rows -> {
          List<TenantId> behind = new ArrayList<>();
          List<Placement> where = new ArrayList<>();
          for (Row row : rows) {
            TenantId tenant = new TenantId(row.getUUID("id"));
            behind.add(tenant);
            where.add(Placement.of(tenant, region, IsolationTier.fromWire(row.getString("isolation_tier"))));
          }
          if (behind.isEmpty()) {
            return Future.succeededFuture();
          }
          total.addAndGet(behind.size());
          LOG.info("tenant places of region {}: {} to migrate to {}", region, behind.size(), version);
          Future<Void> chain = Future.succeededFuture();
          for (int i = 0; i < behind.size(); i++) {
            TenantId tenant = behind.get(i);
            Placement place = where.get(i);
            chain = chain.compose(v -> upgrade(tenant, place, behind.size()));
          }
          return chain.compose(v -> placements.refresh()).onSuccess(v -> LOG.info(
              "tenant places of region {}: {} migrated, {} failed", region, done.get() - failed.get(),
              failed.get()));
        }));
  }

  private Future<Void> upgrade(TenantId tenant, Placement place, int of) {
    return places.prepare(place)
        .compose(version -> places.recordVersion(controlPlane.pool(), tenant, version))
        .recover(e -> {
          failed.incrementAndGet();
          String reason = e instanceof PlaceMigrations.PlaceFailure ? e.getMessage() : "migration failed";
          LOG.warn("tenant place {} not migrated: {}", place, reason);
          return places.recordFailure(tenant, reason).compose(v -> placements.refresh());
        })
        .andThen(v -> {
          int n = done.incrementAndGet();
          if (n == of || n % Math.max(1, of / 10) == 0) {
            LOG.info("tenant places: {} of {} done", n, of);
          }
        });
  }
}
