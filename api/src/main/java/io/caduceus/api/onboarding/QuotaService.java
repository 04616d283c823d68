package io.caduceus.api.onboarding;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.config.ConfigService;
import io.caduceus.api.config.EffectiveConfig;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.api.http.QuotaLimits;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.config.ConfigEntry;
import io.caduceus.routing.config.ConfigScope;
import io.caduceus.routing.config.ConfigStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * The platform owner's view and overrides of a tenant's request quotas (and of its users'): the tenant level of the
 * "quotas" configuration namespace ({@code tenant} and {@code users}), shown with what applies without them.
 */
public final class QuotaService {

  private static final String TENANT = "tenant";
  private static final String USERS = "users";

  private final TenantCatalog catalog;
  private final ConfigService config;
  private final ConfigStore store;
  private final EffectiveConfig effective;

  public QuotaService(TenantCatalog catalog, ConfigService config, ConfigStore store, EffectiveConfig effective) {
    this.catalog = catalog;
    this.config = config;
    this.store = store;
    this.effective = effective;
  }

  /** The tenant's quotas: its overrides, and the quotas that apply without one (its region's, else the global). */
  public Future<JsonObject> get(TenantContext ctx, TenantId tenant) {
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .compose(v -> find(tenant))
        .compose(t -> store.entry(QuotaLimits.NAMESPACE, ConfigScope.tenant(tenant))
            .map(entry -> json(t, entry.settings())));
  }

  /**
   * Replaces the tenant's overrides: a new version of its "quotas" tenant level (the request's audit record names
   * the tenant as the partner).
   */
  public Future<JsonObject> put(TenantContext ctx, TenantId tenant, JsonObject body) {
    ctx.audit().partner(tenant.value());
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .compose(v -> find(tenant))
        .compose(t -> {
          JsonObject users = users(body.getJsonArray(USERS, new JsonArray()));
          JsonObject own = body.getJsonObject(TENANT);
          // This endpoint takes no If-Match: a write that crossed another's replaces it once more.
          return replace(ctx, tenant, own, users).recover(e -> e instanceof PreconditionFailed
                  ? replace(ctx, tenant, own, users) : Future.failedFuture(e))
              .map(entry -> json(t, entry.settings()));
        });
  }

  private Future<ConfigEntry> replace(TenantContext ctx, TenantId tenant, JsonObject own, JsonObject users) {
    return config.changeTenantLevel(ctx, QuotaLimits.NAMESPACE, tenant, values -> {
      values.remove(TENANT);
      values.remove(USERS);
      if (own != null) {
        values.put(TENANT, quota(own));
      }
      return users.isEmpty() ? values : values.put(USERS, users);
    });
  }

  private Future<Tenant> find(TenantId tenant) {
    return catalog.find(tenant).map(t -> t.orElseThrow(() -> new NotFound("no such tenant")));
  }

  private static JsonObject users(JsonArray list) {
    JsonObject users = new JsonObject();
    for (int i = 0; i < list.size(); i++) {
      JsonObject u = list.getJsonObject(i);
      String user = UUID.fromString(u.getString("userId")).toString();
      if (users.containsKey(user)) {
        throw new Invalid("/users/" + i + "/userId", "names a user twice");
      }
      users.put(user, quota(u));
    }
    return users;
  }

  private static JsonObject quota(JsonObject json) {
    return QuotaLimits.json(QuotaLimits.quota(json));
  }

  private JsonObject json(Tenant t, JsonObject level) {
    JsonArray users = new JsonArray();
    level.getJsonObject(USERS, new JsonObject())
        .forEach(e -> users.add(((JsonObject) e.getValue()).copy().put("userId", e.getKey())));
    JsonObject above = effective.ofRegion(QuotaLimits.NAMESPACE, t.dataRegion());
    return new JsonObject().put(TENANT, level.getJsonObject(TENANT)).put(USERS, users)
        .put("defaults", new JsonObject().put(TENANT, above.getJsonObject(TENANT)).put("user",
            above.getJsonObject("user")));
  }
}
