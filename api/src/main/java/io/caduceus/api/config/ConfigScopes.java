package io.caduceus.api.config;

import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.config.ConfigLevel;
import io.caduceus.routing.config.ConfigScope;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/**
 * Turns a scope as a path names it into a {@link ConfigScope} that exists: under a tenant's path {@code tenant},
 * {@code facility:<id>} (one of its facilities) or {@code user:<id>} (one of its members); under the platform's
 * {@code global}, {@code region:<code>} or {@code tenant:<id>}. Anything of another tenant is not found.
 */
final class ConfigScopes {

  /** Under row-level security a tenant finds only its own facilities. */
  static final String FACILITY_EXISTS = "SELECT 1 FROM facility WHERE id = $1";

  private final TenantDb db;
  private final TenantCatalog catalog;
  private final UserRepository users;

  ConfigScopes(TenantDb db, TenantCatalog catalog, UserRepository users) {
    this.db = db;
    this.catalog = catalog;
    this.users = users;
  }

  /** A scope of the caller's tenant. */
  Future<ConfigScope> ofTenant(TenantContext ctx, ConfigNamespace ns, String text) {
    if ("tenant".equals(text)) {
      return allowed(ns, ConfigScope.tenant(ctx.tenantId()));
    }
    int colon = text.indexOf(':');
    UUID id = UUID.fromString(text.substring(colon + 1));
    return switch (text.substring(0, colon)) {
      case "facility" -> allowed(ns, ConfigScope.facility(ctx.tenantId(), id))
          .compose(scope -> facility(ctx, id).map(scope));
      case "user" -> allowed(ns, ConfigScope.user(ctx.tenantId(), id))
          .compose(scope -> member(ctx.tenantId(), id).map(scope));
      default -> Future.failedFuture(new NotFound("no such configuration scope"));
    };
  }

  /** A scope the platform owner names. */
  Future<ConfigScope> ofPlatform(ConfigNamespace ns, String text) {
    if ("global".equals(text)) {
      return allowed(ns, ConfigScope.global());
    }
    int colon = text.indexOf(':');
    String id = text.substring(colon + 1);
    return switch (text.substring(0, colon)) {
      case "region" -> allowed(ns, ConfigScope.region(id)).compose(scope -> catalog.regions()
          .compose(regions -> regions.containsKey(id) ? Future.succeededFuture(scope)
              : Future.failedFuture(new NotFound("no such region"))));
      case "tenant" -> allowed(ns, ConfigScope.tenant(TenantId.parse(id))).compose(scope -> catalog
          .find(TenantId.parse(id)).compose(t -> t.isPresent() ? Future.succeededFuture(scope)
              : Future.failedFuture(new NotFound("no such tenant"))));
      default -> Future.failedFuture(new NotFound("no such configuration scope"));
    };
  }

  /** Fails unless {@code facility} is one of the caller's tenant's facilities. */
  Future<Void> facility(TenantContext ctx, UUID facility) {
    return db.once(ctx, conn -> conn.preparedQuery(FACILITY_EXISTS).execute(Tuple.of(facility)))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture()
            : Future.failedFuture(new NotFound("no such facility")));
  }

  /** Fails unless {@code user} is an active member of {@code tenant}. */
  Future<Void> member(TenantId tenant, UUID user) {
    return users.member(tenant, user).compose(m -> m.filter(found -> "active".equals(found.status())).isPresent()
        ? Future.succeededFuture() : Future.failedFuture(new NotFound("no such member")));
  }

  private static Future<ConfigScope> allowed(ConfigNamespace ns, ConfigScope scope) {
    return ns.levels().contains(scope.level()) ? Future.succeededFuture(scope)
        : Future.failedFuture(new Unprocessable("the " + ns.name() + " namespace is not set at the "
            + scope.level().wire() + " level"));
  }

  /** Whether a level is one the namespace lets a tenant admin edit. */
  static boolean tenantEdits(ConfigNamespace ns, ConfigLevel level) {
    return ns.tenantEdits().contains(level);
  }
}
