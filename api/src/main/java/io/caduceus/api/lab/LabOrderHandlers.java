package io.caduceus.api.lab;

import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.function.BiFunction;

/** The {@code /v1/lab-orders} operations, for the ordering clinic and the serving lab. */
public final class LabOrderHandlers {

  private final LabOrderService orders;
  private final LabWorkService work;
  private final Idempotency idempotency;

  public LabOrderHandlers(LabOrderService orders, LabWorkService work, Idempotency idempotency) {
    this.orders = orders;
    this.work = work;
    this.idempotency = idempotency;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bindRaw("placeLabOrder", this::place);
    ops.bindRaw("listLabOrders", this::list);
    ops.bindRaw("getLabOrder", this::get);
    ops.bindRaw("cancelLabOrder", rc -> change(rc, (ctx, body) -> orders.cancel(ctx, id(rc), body.getString("reason"))));
    ops.bindRaw("changeLabOrderStatus", rc -> change(rc, (ctx, body) -> work.advance(ctx, id(rc),
        body.getString("status"))));
    ops.bindRaw("resultLabOrder", rc -> change(rc, (ctx, body) -> work.result(ctx, id(rc), body)));
  }

  private void place(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    JsonObject body = Requests.body(rc);
    idempotency.inTenant(rc, ctx, scoped -> orders.place(scoped, body)
            .map(o -> Reply.created("/v1/lab-orders/" + o.id(), o.toJson(), o.version()).about(o.patientId())))
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private void list(RoutingContext rc) {
    String status = Requests.queryString(rc, "status");
    orders.list(Requests.tenant(rc), Requests.queryString(rc, "direction"),
            status == null ? null : LabOrderStatus.fromWire(status), Requests.queryUuid(rc, "patientId"),
            Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .onSuccess(page -> Replies.send(rc, Reply.ok(page.toJson(LabOrder::toJson))))
        .onFailure(rc::fail);
  }

  private void get(RoutingContext rc) {
    orders.get(Requests.tenant(rc), id(rc))
        .onSuccess(o -> Replies.send(rc, Reply.ok(o.toJson(), o.version())))
        .onFailure(rc::fail);
  }

  private void change(RoutingContext rc, BiFunction<TenantContext, JsonObject, Future<LabOrder>> action) {
    TenantContext ctx = Requests.tenant(rc);
    JsonObject body = Requests.body(rc);
    idempotency.inTenant(rc, ctx, scoped -> action.apply(scoped, body)
            .map(o -> Reply.ok(o.toJson(), o.version()).about(o.patientId())))
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private static UUID id(RoutingContext rc) {
    return Requests.pathUuid(rc, "labOrderId");
  }
}
