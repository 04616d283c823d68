package io.caduceus.api.telehealth;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.config.ConfigProjection;
import io.caduceus.api.config.ConfigService;
import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.Optional;

/**
 * The tenant's telehealth settings, read and changed by its admin. They are the tenant level of the "telehealth"
 * configuration namespace, whose truth is the configuration store; every write of it is projected into the tenant's
 * region ({@code telehealth_settings}), where the visits read it inside their own transactions. The {@code If-Match}
 * version of this endpoint is the region's copy's (0 for a tenant that never set them).
 */
public final class TelehealthSettingsService implements ConfigProjection {

  /** The configuration namespace of the telehealth settings. */
  public static final String NAMESPACE = "telehealth";

  private final TenantDb db;
  private final ConfigService config;
  private final TelehealthRepository repository = new TelehealthRepository();

  public TelehealthSettingsService(TenantDb db, ConfigService config) {
    this.db = db;
    this.config = config;
  }

  /** The settings, or the defaults at version 0. */
  public Future<TelehealthSettings> get(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .compose(v -> db.once(ctx, repository::settings));
  }

  /**
   * Changes the settings named in a validated {@code TelehealthSettingsUpdate}, if {@code version} is current: a new
   * version of the tenant's "telehealth" configuration, then its projection.
   */
  public Future<TelehealthSettings> update(TenantContext ctx, int version, JsonObject body) {
    return get(ctx).compose(current -> {
      if (current.version() != version) {
        return Future.failedFuture(new PreconditionFailed("the telehealth settings have changed since you read them"));
      }
      JsonObject changed = current.changedBy(body).values();
      return config.changeTenantLevel(ctx, NAMESPACE, ctx.tenantId(), values -> values.mergeIn(changed));
    }).compose(entry -> db.once(ctx, repository::settings));
  }

  /** Writes the tenant's effective "telehealth" keys where the visits read them. */
  @Override
  public Future<Void> project(TenantContext tenant, JsonObject effective) {
    return db.inTenant(tenant, conn -> repository.putSettings(conn, tenant, TelehealthSettings.of(effective)))
        .mapEmpty();
  }

  /** A tenant's settings as the region kept them before the store, for the backfill; empty if it never set them. */
  public Future<Optional<JsonObject>> kept(SqlConnection conn) {
    return repository.settings(conn).map(s -> s.version() == 0 ? Optional.empty() : Optional.of(s.values()));
  }
}
