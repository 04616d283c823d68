package io.caduceus.api.patient;

import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/** The {@code /v1/patients} operations. */
public final class PatientHandlers {

  private final PatientService patients;
  private final Idempotency idempotency;

  public PatientHandlers(PatientService patients, Idempotency idempotency) {
    this.patients = patients;
    this.idempotency = idempotency;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("createPatient", this::create);
    ops.bind("searchPatients", this::search);
    ops.bind("getPatient", this::get);
    ops.bind("updatePatient", this::update);
    ops.bind("deletePatient", this::delete);
  }

  private void create(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    idempotency.inTenant(rc, ctx, scoped -> patients.create(scoped, Requests.body(rc))
            .map(p -> Reply.created("/v1/patients/" + p.id(), p.json(), p.version()).about(p.id())))
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private void search(RoutingContext rc) {
    PatientSearch q = new PatientSearch(Requests.queryString(rc, "name"), Requests.queryDate(rc, "birthDate"),
        Requests.queryString(rc, "mrn"), Requests.queryInt(rc, "limit", 20));
    patients.search(Requests.tenant(rc), q, Requests.queryString(rc, "cursor"))
        .onSuccess(page -> Replies.send(rc, Reply.ok(page.toJson(json -> json))))
        .onFailure(rc::fail);
  }

  private void get(RoutingContext rc) {
    patients.get(Requests.tenant(rc), Requests.pathUuid(rc, "patientId"))
        .onSuccess(p -> Replies.send(rc, Reply.ok(p.json(), p.version())))
        .onFailure(rc::fail);
  }

  private void update(RoutingContext rc) {
    UUID id = Requests.pathUuid(rc, "patientId");
    int version = ETags.required(rc);
    patients.update(Requests.tenant(rc), id, version, Requests.body(rc))
        .onSuccess(p -> Replies.send(rc, Reply.ok(p.json(), p.version())))
        .onFailure(rc::fail);
  }

  private void delete(RoutingContext rc) {
    patients.delete(Requests.tenant(rc), Requests.pathUuid(rc, "patientId"))
        .onSuccess(v -> Replies.send(rc, Reply.noContent()))
        .onFailure(rc::fail);
  }
}
