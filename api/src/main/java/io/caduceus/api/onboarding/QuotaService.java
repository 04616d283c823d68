package io.caduceus.api.onboarding;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.boot.AppConfig;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.quota.Quota;
import io.caduceus.routing.quota.QuotaOverrides;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The platform owner's view and overrides of a tenant's request quotas (and of its users'). */
public final class QuotaService {

  private final TenantCatalog catalog;
  private final QuotaOverrides overrides;
  private final AppConfig.Quotas defaults;

  public QuotaService(TenantCatalog catalog, QuotaOverrides overrides, AppConfig.Quotas defaults) {
    this.catalog = catalog;
    this.overrides = overrides;
    this.defaults = defaults;
  }

  /** The tenant's quotas: the overrides, and the defaults that apply without one. */
  public Future<JsonObject> get(TenantContext ctx, TenantId tenant) {
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .compose(v -> exists(tenant))
        .compose(v -> overrides.of(tenant))
        .map(this::json);
  }

  /** Replaces the tenant's overrides (the request's audit record names the tenant as the partner). */
  public Future<JsonObject> put(TenantContext ctx, TenantId tenant, JsonObject body) {
    ctx.audit().partner(tenant.value());
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .compose(v -> exists(tenant))
        .compose(v -> overrides.replace(tenant, parse(body)))
        .map(this::json);
  }

  private Future<Void> exists(TenantId tenant) {
    return catalog.find(tenant).compose(t -> t.isPresent() ? Future.succeededFuture()
        : Future.failedFuture(new NotFound("no such tenant")));
  }

  private static QuotaOverrides.Overrides parse(JsonObject body) {
    JsonObject own = body.getJsonObject("tenant");
    Map<UUID, Quota> users = new HashMap<>();
    JsonArray list = body.getJsonArray("users", new JsonArray());
    for (int i = 0; i < list.size(); i++) {
      JsonObject u = list.getJsonObject(i);
      if (users.put(UUID.fromString(u.getString("userId")), quota(u)) != null) {
        throw new Invalid("/users/" + i + "/userId", "names a user twice");
      }
    }
    return new QuotaOverrides.Overrides(own == null ? Optional.empty() : Optional.of(quota(own)), users);
  }

  private static Quota quota(JsonObject json) {
    return new Quota(json.getDouble("perSecond"), json.getInteger("burst"));
  }

  private JsonObject json(QuotaOverrides.Overrides o) {
    JsonArray users = new JsonArray();
    o.users().forEach((user, q) -> users.add(quotaJson(q).put("userId", user.toString())));
    return new JsonObject().put("tenant", o.tenant().map(QuotaService::quotaJson).orElse(null)).put("users", users)
        .put("defaults", new JsonObject().put("tenant", quotaJson(defaults.tenant()))
            .put("user", quotaJson(defaults.user())));
  }

  private static JsonObject quotaJson(Quota q) {
    return new JsonObject().put("perSecond", q.perSecond()).put("burst", q.burst());
  }
}
