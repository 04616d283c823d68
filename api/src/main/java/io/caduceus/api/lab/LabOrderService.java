package io.caduceus.api.lab;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.codes.Loinc;
import io.caduceus.api.encounter.OrderingClinician;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.exchange.Exchange;
import io.caduceus.api.exchange.ExchangedPatients;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.api.paging.Position;
import io.caduceus.api.partner.PartnerScope;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * Lab orders as the ordering clinic works with them: a physician orders LOINC-coded tests from a linked lab
 * (the order, its audit record naming the lab, and its exchange message commit together), reads them with their
 * results, and can cancel one the lab has not resulted. Reads serve both sides: a lab lists its worklist here.
 */
public final class LabOrderService {

  static final String PLACED = "lab_order.placed";
  static final String CANCELLED = "lab_order.cancelled";

  private final TenantDb db;
  private final LabOrderRepository orders = new LabOrderRepository();
  private final Exchange exchange;
  private final Cursors cursors;

  public LabOrderService(TenantDb db, Exchange exchange, Cursors cursors) {
    this.db = db;
    this.exchange = exchange;
    this.cursors = cursors;
  }

  /** Orders tests for a patient from a linked lab. */
  public Future<LabOrder> place(TenantContext ctx, JsonObject body) {
    UUID patientId = UUID.fromString(body.getString("patientId"));
    TenantId lab = TenantId.parse(body.getString("labTenantId"));
    UUID encounterId = body.getString("encounterId") == null ? null : UUID.fromString(body.getString("encounterId"));
    JsonArray tests = tests(body.getJsonArray("tests"));
    ctx.audit().patient(patientId).partner(lab.value());
    return Access.check(ctx, Permission.LAB_ORDER_PLACE)
        .compose(v -> exchange.link(ctx.tenantId(), lab, PartnerScope.LAB_ORDERS))
        .compose(link -> db.inTenant(ctx, conn -> ExchangedPatients.document(conn, patientId, false)
            .compose(patient -> OrderingClinician.checkEncounter(conn, encounterId, patientId)
                .compose(v -> OrderingClinician.of(conn, ctx.userId(), "an order"))
                .compose(orderer -> orders.insert(conn, ctx, new LabOrder(UuidV7.next(), "outgoing", lab, null,
                    link.id(), patientId, encounterId, ctx.userId(), orderer.getString("name"),
                    orderer.getString("npi"), tests, body.getString("priority", "routine"), body.getString("note"),
                    LabOrderStatus.SENT, null, null, null, 1, null)))
                .compose(o -> exchange.send(conn, ctx, link, PLACED, o.id(), patientId, o.requisition(patient))
                    .map(o)))));
  }

  /** Cancels an order the lab has not resulted yet; the lab's copy is cancelled too. */
  public Future<LabOrder> cancel(TenantContext ctx, UUID id, String reason) {
    return Access.check(ctx, Permission.LAB_ORDER_PLACE)
        .compose(v -> db.inTenant(ctx, conn -> orders.lock(conn, id).compose(o -> {
          if (!o.outgoing()) {
            return Future.failedFuture(new Forbidden("the ordering clinic cancels an order"));
          }
          if (o.status().closed()) {
            return Future.failedFuture(new Conflict("the order is already " + o.status().wire()));
          }
          return exchange.link(o.linkId(), ctx.tenantId())
              .compose(link -> orders.setStatus(conn, id, LabOrderStatus.CANCELLED, null, null)
                  .compose(x -> exchange.send(conn, ctx, link, CANCELLED, id, o.patientId(), new JsonObject()
                      .put("orderId", id.toString()).put("reason", reason))))
              .compose(x -> orders.find(conn, id));
        })));
  }

  /** One order with its results; a patient sees only their own. */
  public Future<LabOrder> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.LAB_ORDER_READ)
        .compose(v -> db.once(ctx, conn -> orders.find(conn, id)))
        .onSuccess(o -> ctx.audit().patient(o.patientId()));
  }

  /** One page of orders, oldest first: a clinic's outgoing orders, or a lab's worklist. */
  public Future<Page<LabOrder>> list(TenantContext ctx, String direction, LabOrderStatus status, UUID patientId,
                                    int limit, String cursor) {
    String filters = direction + "|" + status + "|" + patientId;
    return Access.check(ctx, Permission.LAB_ORDER_READ)
        .compose(v -> {
          Position after = cursors.after(ctx, "lab-orders", filters, cursor);
          return db.once(ctx, conn -> orders.list(conn, direction, status, patientId, after.at(), after.id(),
              limit + 1));
        })
        .map(found -> Page.of(found, limit, last -> cursors.seal(ctx, "lab-orders", filters,
            last.createdAt(), last.id())))
        .onSuccess(page -> ctx.audit().patients(page.items().stream().map(LabOrder::patientId).distinct().toList()));
  }

  /**
   * Up to {@code limit} orders (with results) matching the filter, newest first, after the position (FHIR search);
   * the caller records the patients of the page it returns.
   */
  public Future<java.util.List<LabOrder>> search(TenantContext ctx, LabOrderFilter filter, Position after, int limit) {
    return Access.check(ctx, Permission.LAB_ORDER_READ)
        .compose(v -> db.once(ctx, conn -> orders.search(conn, filter, after, limit)));
  }

  /** How many orders {@link #search} would list under the filter. */
  public Future<Integer> count(TenantContext ctx, LabOrderFilter filter) {
    return Access.check(ctx, Permission.LAB_ORDER_READ).compose(v -> db.once(ctx, conn -> orders.count(conn, filter)));
  }

  private static JsonArray tests(JsonArray requested) {
    JsonArray tests = new JsonArray();
    for (int i = 0; i < requested.size(); i++) {
      JsonObject t = requested.getJsonObject(i);
      JsonObject test = new JsonObject().put("code", Loinc.require(t.getString("code"), "/tests/" + i + "/code"));
      if (t.getString("display") != null) {
        test.put("display", t.getString("display"));
      }
      tests.add(test);
    }
    return tests;
  }
}
