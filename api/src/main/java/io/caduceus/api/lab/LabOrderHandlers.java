package io.caduceus.api.lab;

import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
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
    ops.bind("placeLabOrder", this::place);
    ops.bind("listLabOrders", this::list);
    ops.bind("getLabOrder", this::get);
    ops.bind("cancelLabOrder", rc -> change(rc, (ctx, body) -> orders.cancel(ctx, id(rc), body.getString("reason"))));
    ops.bind("changeLabOrderStatus", rc -> change(rc, (ctx, body) -> work.advance(ctx, id(rc),
        body.getString("status"))));
    ops.bind("resultLabOrder", rc -> change(rc, (ctx, body) -> work.result(ctx, id(rc), body)));
  }

  private Future<Reply> place(RoutingContext rc) {
    JsonObject body = Requests.body(rc);
    return idempotency.inTransaction(rc, Requests.tenant(rc), joined -> orders.place(joined, body)
        .map(o -> Reply.created("/v1/lab-orders/" + o.id(), o.toJson(), o.version()).about(o.patientId())));
  }

  private Future<Reply> list(RoutingContext rc) {
    String status = Requests.queryString(rc, "status");
    return orders.list(Requests.tenant(rc), Requests.queryString(rc, "direction"),
            status == null ? null : LabOrderStatus.fromWire(status), Requests.queryUuid(rc, "patientId"),
            Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(LabOrder::toJson)));
  }

  private Future<Reply> get(RoutingContext rc) {
    return orders.get(Requests.tenant(rc), id(rc)).map(o -> Reply.ok(o.toJson(), o.version()));
  }

  private Future<Reply> change(RoutingContext rc, BiFunction<TenantContext, JsonObject, Future<LabOrder>> action) {
    JsonObject body = Requests.body(rc);
    return idempotency.inTransaction(rc, Requests.tenant(rc), joined -> action.apply(joined, body)
        .map(o -> Reply.ok(o.toJson(), o.version()).about(o.patientId())));
  }

  private static UUID id(RoutingContext rc) {
    return Requests.pathUuid(rc, "labOrderId");
  }
}
