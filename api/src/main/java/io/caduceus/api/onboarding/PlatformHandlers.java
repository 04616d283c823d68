package io.caduceus.api.onboarding;

import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantKind;
import io.caduceus.routing.catalog.TenantStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.BiFunction;

/** The {@code /v1/platform} operations. */
public final class PlatformHandlers {

  private final PlatformService platform;
  private final QuotaService quotas;
  private final Idempotency idempotency;

  public PlatformHandlers(PlatformService platform, QuotaService quotas, Idempotency idempotency) {
    this.platform = platform;
    this.quotas = quotas;
    this.idempotency = idempotency;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("createTenant", this::create);
    ops.bind("listTenants", this::list);
    ops.bind("getPlatformTenant", this::get);
    ops.bind("suspendTenant", rc -> changeStatus(rc, platform::suspend));
    ops.bind("reactivateTenant", rc -> changeStatus(rc, platform::reactivate));
    ops.bind("approveTenant", rc -> changeStatus(rc, platform::approve));
    ops.bind("listRegions", this::regions);
    ops.bind("getTenantQuotas", rc -> quotas.get(Requests.tenant(rc), Requests.pathTenant(rc)).map(Reply::ok));
    ops.bind("putTenantQuotas", rc -> quotas.put(Requests.tenant(rc), Requests.pathTenant(rc), Requests.body(rc))
        .map(Reply::ok));
  }

  private Future<Reply> create(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    return idempotency.inControlPlane(rc, Idempotency.principal(ctx), () -> platform.create(ctx, Requests.body(rc))
        .map(done -> {
          JsonObject body = new JsonObject().put("tenant", TenantJson.of(done.tenant()));
          if (done.adminInvitation() != null) {
            body.put("adminInvitation", done.adminInvitation().toJson());
          }
          return Reply.created("/v1/platform/tenants/" + done.tenant().id(), body);
        }));
  }

  private Future<Reply> list(RoutingContext rc) {
    String status = Requests.queryString(rc, "status");
    String kind = Requests.queryString(rc, "kind");
    return platform.list(Requests.tenant(rc), status == null ? null : TenantStatus.fromWire(status),
            kind == null ? null : TenantKind.fromWire(kind), Requests.queryInt(rc, "limit", 20),
            Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(TenantJson::of)));
  }

  private Future<Reply> get(RoutingContext rc) {
    return platform.get(Requests.tenant(rc), Requests.pathTenant(rc)).map(t -> Reply.ok(TenantJson.of(t), t.version()));
  }

  private Future<Reply> changeStatus(RoutingContext rc, BiFunction<TenantContext, TenantId, Future<Tenant>> change) {
    TenantContext ctx = Requests.tenant(rc);
    TenantId target = Requests.pathTenant(rc);
    return idempotency.inControlPlane(rc, Idempotency.principal(ctx),
        () -> change.apply(ctx, target).map(t -> Reply.ok(TenantJson.of(t))));
  }

  private Future<Reply> regions(RoutingContext rc) {
    return platform.regions(Requests.tenant(rc)).map(regions -> {
      JsonArray items = new JsonArray();
      regions.forEach((code, name) -> items.add(new JsonObject().put("code", code).put("displayName", name)));
      return Reply.ok(new JsonObject().put("items", items));
    });
  }
}
