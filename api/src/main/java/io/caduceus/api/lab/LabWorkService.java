package io.caduceus.api.lab;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.exchange.Exchange;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The lab's side of an order: the technician moves it through specimen collection and analysis and enters the
 * results with the report. Each step is sent back to the ordering clinic over the same link, in order.
 */
public final class LabWorkService {

  static final String STATUS = "lab_order.status";
  static final String RESULTED = "lab_order.resulted";

  private final TenantDb db;
  private final LabOrderRepository orders = new LabOrderRepository();
  private final Exchange exchange;

  public LabWorkService(TenantDb db, Exchange exchange) {
    this.db = db;
    this.exchange = exchange;
  }

  /** Moves the lab's copy one step (specimen collected, then in progress) and tells the clinic. */
  public Future<LabOrder> advance(TenantContext ctx, UUID id, String status) {
    LabOrderStatus next = LabOrderStatus.fromWire(status);
    ctx.audit().action("lab_order." + next.wire());
    return Access.check(ctx, Permission.LAB_WORK)
        .compose(v -> db.inTenant(ctx, conn -> incoming(conn, id).compose(o -> {
          if (!o.status().labMayMoveTo(next)) {
            return Future.failedFuture(new Conflict("a lab order cannot move from " + o.status().wire() + " to "
                + next.wire()));
          }
          return exchange.link(o.linkId(), ctx.tenantId())
              .compose(link -> orders.setStatus(conn, id, next, null, null)
                  .compose(x -> exchange.send(conn, ctx, link, STATUS, id, o.patientId(), new JsonObject()
                      .put("orderId", o.counterpartOrderId().toString()).put("labOrderId", id.toString())
                      .put("status", next.wire()))))
              .compose(x -> orders.find(conn, id));
        })));
  }

  /** Enters the results and the report, which completes the order and sends the results to the clinic. */
  public Future<LabOrder> result(TenantContext ctx, UUID id, JsonObject body) {
    String report = body.getString("report");
    return Access.check(ctx, Permission.LAB_WORK)
        .compose(v -> db.inTenant(ctx, conn -> incoming(conn, id).compose(o -> {
          if (!o.status().awaitsResults()) {
            return Future.failedFuture(new Conflict("results are entered once the specimen is collected; the order"
                + " is " + o.status().wire()));
          }
          List<LabResult> results = results(body.getJsonArray("results"), o);
          return exchange.link(o.linkId(), ctx.tenantId())
              .compose(link -> orders.addResults(conn, ctx, o, results)
                  .compose(x -> orders.setStatus(conn, id, LabOrderStatus.RESULTED, null, report))
                  .compose(x -> exchange.send(conn, ctx, link, RESULTED, id, o.patientId(),
                      resultDocument(o, id, report, results))))
              .compose(x -> orders.find(conn, id));
        })));
  }

  private Future<LabOrder> incoming(SqlConnection conn, UUID id) {
    return orders.lock(conn, id).map(o -> {
      if (o.outgoing()) {
        throw new Forbidden("the serving lab works on an order, not the clinic that placed it");
      }
      return o;
    });
  }

  private static JsonObject resultDocument(LabOrder o, UUID id, String report, List<LabResult> results) {
    JsonArray items = new JsonArray();
    results.forEach(r -> items.add(r.toJson()));
    return new JsonObject().put("orderId", o.counterpartOrderId().toString()).put("labOrderId", id.toString())
        .put("report", report).put("results", items);
  }

  private static List<LabResult> results(JsonArray entered, LabOrder o) {
    Map<String, String> displays = new HashMap<>();
    o.tests().forEach(t -> {
      JsonObject test = (JsonObject) t;
      if (test.getString("display") != null) {
        displays.put(test.getString("code"), test.getString("display"));
      }
    });
    Instant now = Instant.now();
    List<LabResult> results = new ArrayList<>();
    for (int i = 0; i < entered.size(); i++) {
      results.add(LabResult.from(entered.getJsonObject(i), "/results/" + i, now, displays));
    }
    return results;
  }
}
