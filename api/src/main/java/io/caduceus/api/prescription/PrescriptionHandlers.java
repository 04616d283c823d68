package io.caduceus.api.prescription;

import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
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
    ops.bindRaw("placePrescription", this::place);
    ops.bindRaw("listPrescriptions", this::list);
    ops.bindRaw("getPrescription", this::get);
    ops.bindRaw("checkPrescriptionInteractions", this::interactions);
    ops.bindRaw("cancelPrescription", rc -> change(rc, (ctx, body) -> prescriptions.cancel(ctx, id(rc),
        body.getString("reason"))));
    ops.bindRaw("reviewPrescriptionInteractions", rc -> change(rc, (ctx, body) -> dispensing.review(ctx, id(rc),
        body.getJsonArray("acknowledged").stream().map(String.class::cast).toList(), body.getString("note"))));
    ops.bindRaw("dispensePrescription", rc -> change(rc, (ctx, body) -> dispensing.dispense(ctx, id(rc),
        body.getString("lot"), new BigDecimal(body.getNumber("quantity").toString()))));
  }

  private void place(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    JsonObject body = Requests.body(rc);
    idempotency.inTenant(rc, ctx, scoped -> prescriptions.place(scoped, body)
            .map(p -> Reply.created("/v1/prescriptions/" + p.id(), p.toJson(scoped), p.version())
                .about(p.patientId())))
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private void list(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    String status = Requests.queryString(rc, "status");
    prescriptions.list(ctx, Requests.queryString(rc, "direction"),
            status == null ? null : PrescriptionStatus.fromWire(status), Requests.queryUuid(rc, "patientId"),
            Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .onSuccess(page -> Replies.send(rc, Reply.ok(page.toJson(p -> p.toJson(ctx)))))
        .onFailure(rc::fail);
  }

  private void get(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    prescriptions.get(ctx, id(rc))
        .onSuccess(p -> Replies.send(rc, Reply.ok(p.toJson(ctx), p.version())))
        .onFailure(rc::fail);
  }

  private void interactions(RoutingContext rc) {
    dispensing.interactions(Requests.tenant(rc), id(rc))
        .onSuccess(findings -> Replies.send(rc, Reply.ok(findings.toJson(Instant.now()))))
        .onFailure(rc::fail);
  }

  private void change(RoutingContext rc, BiFunction<TenantContext, JsonObject, Future<Prescription>> action) {
    TenantContext ctx = Requests.tenant(rc);
    JsonObject body = Requests.body(rc);
    idempotency.inTenant(rc, ctx, scoped -> action.apply(scoped, body)
            .map(p -> Reply.ok(p.toJson(scoped), p.version()).about(p.patientId())))
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private static UUID id(RoutingContext rc) {
    return Requests.pathUuid(rc, "prescriptionId");
  }
}
