package io.caduceus.api.config;

import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.catalog.ServedTenants;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.config.ConfigScope;
import io.caduceus.routing.config.ConfigStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Brings a namespace's tenant level, kept in each tenant's region before issue 16 (the engagement rules, the
 * telehealth settings), into the configuration store as version 1. A control-plane migration cannot read the regions,
 * so this runs in the background at start, on every node, visiting the tenants of this node's regions; a tenant that
 * already has that level (or never set its own) is left as it is, so it is done once and safe anywhere. Until it has
 * run, readers are unaffected: they read the settings in the region, where they already are.
 */
public final class TenantLevelBackfill {

  private final ServedTenants tenants;
  private final TenantDb db;
  private final ConfigStore config;
  private final String namespace;
  private final UUID actor;
  private final Function<SqlConnection, Future<Optional<JsonObject>>> kept;

  /**
   * A backfill of {@code namespace}; {@code kept} reads a tenant's keys where they were kept before (empty when it
   * never set them), acting as {@code actor}.
   */
  public TenantLevelBackfill(ServedTenants tenants, TenantDb db, ConfigStore config, String namespace, UUID actor,
                             Function<SqlConnection, Future<Optional<JsonObject>>> kept) {
    this.tenants = tenants;
    this.db = db;
    this.config = config;
    this.namespace = namespace;
    this.actor = actor;
    this.kept = kept;
  }

  /** Visits every tenant of this node's regions; returns how many it brought into the store. */
  public Future<Integer> run() {
    return tenants.each(t -> tenant(t).map(moved -> moved ? 1 : 0));
  }

  /** Brings one tenant's keys over, if it has keys in its region and none in the store. */
  Future<Boolean> tenant(Tenant t) {
    return config.entry(namespace, ConfigScope.tenant(t.id())).compose(entry -> {
      if (entry.version() > 0) {
        return Future.succeededFuture(false);
      }
      TenantContext ctx = TenantContext.system(t.id(), t.dataRegion(), t.tier(), actor, Set.of(),
          namespace + "-backfill");
      return db.once(ctx, kept).compose(found -> found.isEmpty() ? Future.succeededFuture(false)
          : config.seed(namespace, t.id(), found.get()).map(true));
    });
  }
}
