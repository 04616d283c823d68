package io.caduceus.api.tiers;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.Placement;
import io.caduceus.routing.Placements;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.schema.TenantPlaces;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * Builds, upgrades and removes tenant schemas and databases off the event loop, and records in the control plane
 * how far each one is migrated. A place that fails to migrate is recorded with a short reason and stops only its
 * own tenant ({@link Placements} marks it unavailable); the other tenants go on.
 */
public final class Places {

  static final String RECORD_VERSION = "UPDATE tenant SET place_version = $2, place_failure = NULL WHERE id = $1";
  static final String RECORD_FAILURE = "UPDATE tenant SET place_failure = $2 WHERE id = $1";

  private final Vertx vertx;
  private final TenantPlaces places;
  private final ControlPlane controlPlane;
  private final RegionRegistry regions;

  public Places(Vertx vertx, TenantPlaces places, ControlPlane controlPlane, RegionRegistry regions) {
    this.vertx = vertx;
    this.places = places;
    this.controlPlane = controlPlane;
    this.regions = regions;
  }

  /** Whether this deployment may create tenant databases (a superuser is configured, or the owner has CREATEDB). */
  public Future<Boolean> canCreateDatabases() {
    return vertx.executeBlocking(places::canCreateDatabases, false);
  }

  /** Creates the place if needed and migrates it; the fingerprint it is at. */
  public Future<String> prepare(Placement place) {
    return vertx.executeBlocking(() -> places.prepare(place), false);
  }

  /** The fingerprint every place of the region should be at: its own database's. */
  public Future<String> regionFingerprint(String region) {
    return vertx.executeBlocking(() -> places.regionFingerprint(region), false);
  }

  /** Removes a tenant schema or database, closing this node's pool to it first. */
  public Future<Void> drop(Placement place) {
    return regions.release(place).compose(v -> vertx.executeBlocking(() -> {
      places.drop(place);
      return null;
    }, false));
  }

  /** Records that the tenant's place is at {@code version}, through {@code client} (a transaction, or the pool). */
  public Future<Void> recordVersion(SqlClient client, TenantId tenant, String version) {
    return client.preparedQuery(RECORD_VERSION).execute(Tuple.of(tenant.value(), version)).mapEmpty();
  }

  /** Records why the tenant's place could not be migrated. */
  public Future<Void> recordFailure(TenantId tenant, String reason) {
    return controlPlane.pool().preparedQuery(RECORD_FAILURE).execute(Tuple.of(tenant.value(), reason)).mapEmpty();
  }

  /**
   * A small pool on a place's database as the owner role, for a job that copies, exports or deletes a tenant's rows;
   * the job closes it. Row-level security still applies: the job sets the tenant's scope.
   */
  Pool ownerPool(Placement place, String name) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(2).setName(name))
        .connectingTo(places.owner(place).connectOptions())
        .using(vertx)
        .build();
  }
}
