package io.caduceus.api.engagement;

import io.caduceus.notifications.engage.Settings;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.config.ConfigScope;
import io.caduceus.routing.config.ConfigStore;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Brings each tenant's delivery rules, kept in its region's {@code engagement_settings} before issue 16, into the
 * configuration store as version 1 of its "engagement" tenant level. A control-plane migration cannot read the
 * regions, so this runs in the background at start, on every node, visiting the tenants of this node's regions; a
 * tenant that already has that level (or never set rules) is left as it is, so it is done once and safe anywhere.
 * Until it has run the engine is unaffected: it reads the rules in the region, where they already are.
 */
public final class EngagementBackfill {

  /** The actor of the reads it makes ("V19"). */
  private static final UUID BACKFILL = new UUID(0, 19);
  private static final int PAGE = 200;

  private final TenantCatalog catalog;
  private final RegionRegistry regions;
  private final TenantDb db;
  private final Settings settings;
  private final ConfigStore config;

  public EngagementBackfill(TenantCatalog catalog, RegionRegistry regions, TenantDb db, Settings settings,
                            ConfigStore config) {
    this.catalog = catalog;
    this.regions = regions;
    this.db = db;
    this.settings = settings;
    this.config = config;
  }

  /** Visits every tenant of this node's regions; returns how many it brought into the store. */
  public Future<Integer> run() {
    return page(null, null, 0);
  }

  private Future<Integer> page(Instant afterCreated, UUID afterId, int sofar) {
    return catalog.list(null, null, afterCreated, afterId, PAGE).compose(page -> {
      Future<Integer> done = Future.succeededFuture(sofar);
      for (Tenant t : page.tenants()) {
        if (regions.serves(t.dataRegion())) {
          done = done.compose(n -> tenant(t).map(moved -> moved ? n + 1 : n));
        }
      }
      return page.hasMore() ? done.compose(n -> page(page.nextCreatedAt(), page.nextId(), n)) : done;
    });
  }

  /** Brings one tenant's rules over, if it has rules in its region and none in the store. */
  Future<Boolean> tenant(Tenant t) {
    return config.entry(EngagementSettingsService.NAMESPACE, ConfigScope.tenant(t.id())).compose(entry -> {
      if (entry.version() > 0) {
        return Future.succeededFuture(false);
      }
      TenantContext ctx = TenantContext.system(t.id(), t.dataRegion(), t.tier(), BACKFILL, Set.of(),
          "engagement-backfill");
      return db.once(ctx, settings::find).compose(rules -> rules.version() == 0 ? Future.succeededFuture(false)
          : config.seed(EngagementSettingsService.NAMESPACE, t.id(), EngagementSettingsService.values(rules))
              .map(true));
    });
  }
}
