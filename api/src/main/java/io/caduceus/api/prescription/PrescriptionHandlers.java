package io.caduceus.api.prescription;

import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import java.util.function.BiFunction;

/** The {@code /v1/prescriptions} operations, for the prescribing clinic and the dispensing pharmacy. */
public final class PrescriptionHandlers {

  private final PrescriptionService prescriptions;
  private final DispensingService dispensing;
  private final Idempotency idempotency;

  public PrescriptionHandlers(PrescriptionService prescriptions, DispensingService dispensing,
                              Idempotency idempotency) {
    this.prescriptions = prescriptions;
    this.dispensing = dispensing;
    this.idempotency = idempotency;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("placePrescription", this::place);
    ops.bind("listPrescriptions", this::list);
    ops.bind("getPrescription", this::get);
    ops.bind("checkPrescriptionInteractions", rc -> dispensing.interactions(Requests.tenant(rc), id(rc))
        .map(findings -> Reply.ok(findings.toJson(Instant.now()))));
    ops.bind("cancelPrescription", rc -> change(rc, (ctx, body) -> prescriptions.cancel(ctx, id(rc),
        body.getString("reason"))));
    ops.bind("reviewPrescriptionInteractions", rc -> change(rc, (ctx, body) -> dispensing.review(ctx, id(rc),
        body.getJsonArray("acknowledged").stream().map(String.class::cast).toList(), body.getString("note"))));
    ops.bind("dispensePrescription", rc -> change(rc, (ctx, body) -> dispensing.dispense(ctx, id(rc),
        body.getString("lot"), new BigDecimal(body.getNumber("quantity").toString()))));
  }

  private Future<Reply> place(RoutingContext rc) {
    JsonObject body = Requests.body(rc);
    return idempotency.inTransaction(rc, Requests.tenant(rc), joined -> prescriptions.place(joined, body)
        .map(p -> Reply.created("/v1/prescriptions/" + p.id(), p.toJson(joined), p.version()).about(p.patientId())));
  }

  private Future<Reply> list(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    String status = Requests.queryString(rc, "status");
    return prescriptions.list(ctx, Requests.queryString(rc, "direction"),
            status == null ? null : PrescriptionStatus.fromWire(status), Requests.queryUuid(rc, "patientId"),
            Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(p -> p.toJson(ctx))));
  }

  private Future<Reply> get(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    return prescriptions.get(ctx, id(rc)).map(p -> Reply.ok(p.toJson(ctx), p.version()));
  }

  private Future<Reply> change(RoutingContext rc, BiFunction<TenantContext, JsonObject, Future<Prescription>> action) {
    JsonObject body = Requests.body(rc);
    return idempotency.inTransaction(rc, Requests.tenant(rc), joined -> action.apply(joined, body)
        .map(p -> Reply.ok(p.toJson(joined), p.version()).about(p.patientId())));
  }

  private static UUID id(RoutingContext rc) {
    return Requests.pathUuid(rc, "prescriptionId");
  }
}
