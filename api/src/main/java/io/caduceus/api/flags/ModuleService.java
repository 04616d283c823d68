package io.caduceus.api.flags;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Which modules a tenant may use (its plan, set by the platform owner) and which it has on (its admin's switches,
 * within the plan). Every change commits with its change-log entry and a notice to every node
 * ({@link FeatureState#MODULES_CHANNEL}); this node re-reads the tenant's modules before answering.
 */
public final class ModuleService {

  private final ControlPlane controlPlane;
  private final TenantCatalog catalog;
  private final FeatureState state;
  private final FeatureRepository repository = new FeatureRepository();

  public ModuleService(ControlPlane controlPlane, TenantCatalog catalog, FeatureState state) {
    this.controlPlane = controlPlane;
    this.catalog = catalog;
    this.state = state;
  }

  /** A tenant's plan and switches (platform owner). */
  public Future<JsonObject> plan(TenantContext ctx, TenantId tenant) {
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .compose(v -> existing(tenant))
        .compose(v -> repository.modules(controlPlane.pool(), tenant.value()))
        .map(TenantModules::json);
  }

  /** Sets a tenant's plan: the modules it may use; those left out are off whatever its admin chose. */
  public Future<JsonObject> setPlan(TenantContext ctx, TenantId tenant, JsonObject body) {
    JsonArray listed = body.getJsonArray("allowed");
    Set<ProductModule> allowed = EnumSet.noneOf(ProductModule.class);
    for (int i = 0; i < listed.size(); i++) {
      int index = i;
      allowed.add(ProductModule.fromWire(listed.getString(i))
          .orElseThrow(() -> new Invalid("/allowed/" + index, "is not a module")));
    }
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .compose(v -> existing(tenant))
        .compose(v -> change(ctx, tenant.value(), "modules.plan", conn -> {
          Future<Void> done = Future.succeededFuture();
          for (ProductModule m : ProductModule.values()) {
            done = done.compose(x -> repository.allow(conn, tenant.value(), m, allowed.contains(m)));
          }
          return done;
        }));
  }

  /** The active tenant's modules (its admin). */
  public Future<JsonObject> tenantModules(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_READ)
        .compose(v -> repository.modules(controlPlane.pool(), ctx.tenantId().value()))
        .map(TenantModules::json);
  }

  /** Switches one of the active tenant's modules on or off; on only within its plan. */
  public Future<JsonObject> switchModule(TenantContext ctx, String name, boolean enabled) {
    UUID tenant = ctx.tenantId().value();
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .map(v -> ProductModule.fromWire(name).orElseThrow(() -> new NotFound("no such module")))
        .compose(module -> change(ctx, tenant, enabled ? "module.on" : "module.off",
            conn -> repository.modules(conn, tenant).compose(current -> {
              if (enabled && current.disallowed().contains(module)) {
                return Future.failedFuture(new Forbidden("your plan does not include the module " + module.wire()
                    + "; ask the platform owner"));
              }
              return repository.enable(conn, tenant, module, enabled);
            })));
  }

  private Future<JsonObject> change(TenantContext ctx, UUID tenant, String action,
                                    Function<SqlConnection, Future<Void>> work) {
    return controlPlane.inTransaction(conn -> repository.modules(conn, tenant).compose(before -> work.apply(conn)
            .compose(v -> repository.modules(conn, tenant))
            .compose(after -> repository.logChange(conn, "modules:" + tenant, action, ctx.userId(),
                ctx.tenantId().value(), before.json(), after.json()))
            .compose(v -> repository.notify(conn, FeatureState.MODULES_CHANNEL, tenant.toString()))))
        .compose(v -> state.reloadTenant(tenant))
        .map(v -> state.snapshot().modules(tenant).json());
  }

  private Future<Void> existing(TenantId tenant) {
    return catalog.find(tenant).compose(found -> found.isPresent() ? Future.<Void>succeededFuture()
        : Future.failedFuture(new NotFound("no such tenant")));
  }
}
