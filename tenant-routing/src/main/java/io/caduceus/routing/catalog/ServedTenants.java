package io.caduceus.routing.catalog;

import io.caduceus.routing.RegionRegistry;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;

/**
 * Visits every tenant whose region this node serves, in catalog order, a page of the catalog at a time and one
 * tenant after another (never all at once), for the background work that acts on each tenant in its own region.
 */
public final class ServedTenants {

  private static final int PAGE = 200;

  private final TenantCatalog catalog;
  private final RegionRegistry regions;

  public ServedTenants(TenantCatalog catalog, RegionRegistry regions) {
    this.catalog = catalog;
    this.regions = regions;
  }

  /** Runs {@code visit} on each served tenant in turn; answers the sum of what the visits answered. */
  public Future<Integer> each(Function<Tenant, Future<Integer>> visit) {
    return page(null, null, 0, visit);
  }

  private Future<Integer> page(Instant afterCreated, UUID afterId, int sofar, Function<Tenant, Future<Integer>> visit) {
    return catalog.list(null, null, afterCreated, afterId, PAGE).compose(page -> {
      Future<Integer> done = Future.succeededFuture(sofar);
      for (Tenant t : page.tenants()) {
        if (regions.serves(t.dataRegion())) {
          done = done.compose(n -> visit.apply(t).map(m -> n + m));
        }
      }
      return page.hasMore() ? done.compose(n -> page(page.nextCreatedAt(), page.nextId(), n, visit)) : done;
    });
  }
}
