package io.caduceus.api.onboarding;

import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
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
    ops.bindRaw("createTenant", this::create);
    ops.bindRaw("listTenants", this::list);
    ops.bindRaw("getPlatformTenant", this::get);
    ops.bindRaw("suspendTenant", rc -> changeStatus(rc, platform::suspend));
    ops.bindRaw("reactivateTenant", rc -> changeStatus(rc, platform::reactivate));
    ops.bindRaw("approveTenant", rc -> changeStatus(rc, platform::approve));
    ops.bindRaw("listRegions", this::regions);
    ops.bindRaw("getTenantQuotas", rc -> quotas.get(Requests.tenant(rc), new TenantId(Requests.pathUuid(rc, "tenantId")))
        .onSuccess(body -> Replies.send(rc, Reply.ok(body))).onFailure(rc::fail));
    ops.bindRaw("putTenantQuotas", rc -> quotas.put(Requests.tenant(rc), new TenantId(Requests.pathUuid(rc, "tenantId")),
        Requests.body(rc)).onSuccess(body -> Replies.send(rc, Reply.ok(body))).onFailure(rc::fail));
  }

  private void create(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    idempotency.inControlPlane(rc, Idempotency.principal(ctx), () -> platform.create(ctx, Requests.body(rc))
            .map(done -> {
              JsonObject body = new JsonObject().put("tenant", TenantJson.of(done.tenant()));
              if (done.adminInvitation() != null) {
                body.put("adminInvitation", done.adminInvitation().toJson());
              }
              return Reply.created("/v1/platform/tenants/" + done.tenant().id(), body);
            }))
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private void list(RoutingContext rc) {
    String status = Requests.queryString(rc, "status");
    String kind = Requests.queryString(rc, "kind");
    platform.list(Requests.tenant(rc), status == null ? null : TenantStatus.fromWire(status),
            kind == null ? null : TenantKind.fromWire(kind), Requests.queryInt(rc, "limit", 20),
            Requests.queryString(rc, "cursor"))
        .onSuccess(page -> Replies.send(rc, Reply.ok(page.toJson(TenantJson::of))))
        .onFailure(rc::fail);
  }

  private void get(RoutingContext rc) {
    platform.get(Requests.tenant(rc), new TenantId(Requests.pathUuid(rc, "tenantId")))
        .onSuccess(t -> Replies.send(rc, Reply.ok(TenantJson.of(t), t.version())))
        .onFailure(rc::fail);
  }

  private void changeStatus(RoutingContext rc, BiFunction<TenantContext, TenantId, Future<Tenant>> change) {
    TenantContext ctx = Requests.tenant(rc);
    TenantId target = new TenantId(Requests.pathUuid(rc, "tenantId"));
    idempotency.inControlPlane(rc, Idempotency.principal(ctx),
            () -> change.apply(ctx, target).map(t -> Reply.ok(TenantJson.of(t))))
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private void regions(RoutingContext rc) {
    platform.regions(Requests.tenant(rc))
        .map(regions -> {
          JsonArray items = new JsonArray();
          regions.forEach((code, name) -> items.add(new JsonObject().put("code", code).put("displayName", name)));
          return new JsonObject().put("items", items);
        })
        .onSuccess(json -> Replies.send(rc, Reply.ok(json)))
        .onFailure(rc::fail);
  }
}
