package io.caduceus.api.config;

import io.caduceus.api.config.ConfigService.Target;
import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.config.ConfigEntry;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.function.BiFunction;

/**
 * The configuration operations: a tenant's scopes ({@code /v1/tenants/{tenantId}/config/...}), the platform's
 * ({@code /v1/platform/config/...}) and a member's own ({@code /v1/auth/me/config/...}).
 */
public final class ConfigHandlers {

  private static final int VERSIONS_LIMIT = 20;

  private final ConfigService config;

  public ConfigHandlers(ConfigService config) {
    this.config = config;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("getTenantConfigEffective", rc -> config.effective(Requests.tenant(rc), namespace(rc),
        Requests.queryUuid(rc, "facility"), Requests.queryUuid(rc, "user")).map(Reply::ok));
    bindScope(ops, "TenantConfig", (rc, writing) -> config.tenantTarget(Requests.tenant(rc), namespace(rc),
        Requests.pathString(rc, "scope"), writing));
    bindScope(ops, "PlatformConfig", (rc, writing) -> config.platformTarget(Requests.tenant(rc), namespace(rc),
        Requests.pathString(rc, "scope")));
    ops.bind("getMyConfigEffective", rc -> {
      TenantContext ctx = Requests.tenant(rc);
      return config.effective(ctx, namespace(rc), Requests.queryUuid(rc, "facility"), ctx.userId()).map(Reply::ok);
    });
    BiFunction<RoutingContext, Boolean, Future<Target>> self = (rc, writing) ->
        config.selfTarget(Requests.tenant(rc), namespace(rc), writing);
    ops.bind("getMyConfig", rc -> self.apply(rc, false).compose(config::entry).map(ConfigHandlers::entry));
    ops.bind("putMyConfig", rc -> write(rc, self));
  }

  /** The five operations on one scope and its versions, for {@code get<group>Scope} and the rest. */
  private void bindScope(Operations ops, String group, BiFunction<RoutingContext, Boolean, Future<Target>> target) {
    ops.bind("get" + group + "Scope", rc -> target.apply(rc, false).compose(config::entry)
        .map(ConfigHandlers::entry));
    ops.bind("put" + group + "Scope", rc -> write(rc, target));
    ops.bind("list" + group + "Versions", rc -> target.apply(rc, false)
        .compose(t -> config.versions(t, Requests.queryInt(rc, "limit", VERSIONS_LIMIT)))
        .map(versions -> Reply.items(versions.stream().map(ConfigJson::version).toList())));
    ops.bind("get" + group + "Version", rc -> target.apply(rc, false)
        .compose(t -> config.version(t, version(rc)))
        .map(v -> Reply.ok(ConfigJson.version(v))));
    ops.bind("restore" + group + "Version", rc -> {
      int current = ETags.required(rc);
      return target.apply(rc, true).compose(t -> config.restore(Requests.tenant(rc), t, version(rc), current))
          .map(ConfigHandlers::entry);
    });
  }

  private Future<Reply> write(RoutingContext rc, BiFunction<RoutingContext, Boolean, Future<Target>> target) {
    int version = ETags.required(rc);
    return target.apply(rc, true).compose(t -> config.write(Requests.tenant(rc), t, version, Requests.body(rc)))
        .map(ConfigHandlers::entry);
  }

  private static Reply entry(ConfigEntry e) {
    return Reply.ok(ConfigJson.entry(e), e.version());
  }

  private static String namespace(RoutingContext rc) {
    return Requests.pathString(rc, "namespace");
  }

  private static int version(RoutingContext rc) {
    return Integer.parseInt(Requests.pathString(rc, "version"));
  }
}
