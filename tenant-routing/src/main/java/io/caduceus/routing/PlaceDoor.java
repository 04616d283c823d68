package io.caduceus.routing;

import io.caduceus.routing.schema.PlaceMigrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.Objects;

/**
 * The door to whole tenant places, beside {@link TenantDb} (the door for units of work in a tenant's scope): it
 * builds, migrates and drops tenant schemas and databases off the event loop, records in the control plane how far
 * each is migrated, and hands a job one tenant's rows in a place ({@link TenantRows}) to copy, export or delete.
 *
 * <p>A place that fails to migrate is recorded with a short reason and stops only its own tenant
 * ({@link PlacementView} marks it unavailable); the other tenants go on.
 */
public final class PlaceDoor {

  static final String RECORD_VERSION = "UPDATE tenant SET place_version = $2, place_failure = NULL WHERE id = $1";
  static final String RECORD_FAILURE = "UPDATE tenant SET place_failure = $2 WHERE id = $1";

  private final Vertx vertx;
  private final PlaceMigrations migrations;
  private final ControlPlane controlPlane;
  private final RegionRegistry regions;

  public PlaceDoor(Vertx vertx, PlaceMigrations migrations, ControlPlane controlPlane, RegionRegistry regions) {
    this.vertx = Objects.requireNonNull(vertx);
    this.migrations = Objects.requireNonNull(migrations);
    this.controlPlane = Objects.requireNonNull(controlPlane);
    this.regions = Objects.requireNonNull(regions);
  }

  /** Whether this deployment may create tenant databases (a superuser is configured, or the owner has CREATEDB). */
  public Future<Boolean> canCreateDatabases() {
    return vertx.executeBlocking(migrations::canCreateDatabases, false);
  }

  /** Creates the place if needed and migrates it; the fingerprint it is at. */
  public Future<String> prepare(Placement place) {
    return vertx.executeBlocking(() -> migrations.prepare(place), false);
  }

  /** The fingerprint every place of the region should be at: its own database's. */
  public Future<String> regionFingerprint(String region) {
    return vertx.executeBlocking(() -> migrations.regionFingerprint(region), false);
  }

  /** Removes a tenant schema or database, closing this node's pool to it first. */
  public Future<Void> drop(Placement place) {
    return regions.release(place).compose(v -> vertx.executeBlocking(() -> {
      migrations.drop(place);
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
   * The tenant's rows in {@code place}, over a small pool of their own on the place's database as the owner role,
   * named {@code name} (the job's); the job closes it. Row-level security still applies: each transaction is scoped
   * to the tenant.
   */
  public TenantRows rows(Placement place, TenantId tenant, String name) {
    return new TenantRows(PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(2).setName(name))
        .connectingTo(migrations.owner(place).connectOptions())
        .using(vertx)
        .build(), place, tenant);
  }
}
