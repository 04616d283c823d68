package io.caduceus.api.telehealth;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The tenant's telehealth settings, read and changed by its admin. Changes are versioned like any update: the
 * {@code If-Match} version must be current (0 for a tenant that never set them).
 */
public final class TelehealthSettingsService {

  private final TenantDb db;
  private final TelehealthRepository repository = new TelehealthRepository();

  public TelehealthSettingsService(TenantDb db) {
    this.db = db;
  }

  /** The settings, or the defaults at version 0. */
  public Future<TelehealthSettings> get(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .compose(v -> db.once(ctx, repository::settings));
  }

  /** Changes the settings named in a validated {@code TelehealthSettingsUpdate}, if {@code version} is current. */
  public Future<TelehealthSettings> update(TenantContext ctx, int version, JsonObject body) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .compose(v -> db.inTenant(ctx, conn -> repository.settings(conn).compose(current -> {
          if (current.version() != version) {
            return Future.failedFuture(stale());
          }
          return repository.saveSettings(conn, ctx, version, current.changedBy(body))
              .map(saved -> saved.orElseThrow(TelehealthSettingsService::stale));
        })));
  }

  private static PreconditionFailed stale() {
    return new PreconditionFailed("the telehealth settings have changed since you read them");
  }
}
