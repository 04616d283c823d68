package io.caduceus.api.patient;

import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.vertx.core.Future;
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

  private Future<Reply> create(RoutingContext rc) {
    return idempotency.inTransaction(rc, Requests.tenant(rc),
        joined -> patients.facilityOf(joined, Requests.body(rc)),
        (joined, facility) -> patients.create(joined, Requests.body(rc), facility)
            .map(p -> Reply.created("/v1/patients/" + p.id(), p.json(), p.version()).about(p.id())));
  }

  private Future<Reply> search(RoutingContext rc) {
    PatientSearch q = new PatientSearch(Requests.queryString(rc, "name"), Requests.queryDate(rc, "birthDate"),
        Requests.queryString(rc, "mrn"), Requests.queryInt(rc, "limit", 20));
    return patients.search(Requests.tenant(rc), q, Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(json -> json)));
  }

  private Future<Reply> get(RoutingContext rc) {
    return patients.get(Requests.tenant(rc), Requests.pathUuid(rc, "patientId"))
        .map(p -> Reply.ok(p.json(), p.version()));
  }

  private Future<Reply> update(RoutingContext rc) {
    UUID id = Requests.pathUuid(rc, "patientId");
    int version = ETags.required(rc);
    return patients.update(Requests.tenant(rc), id, version, Requests.body(rc))
        .map(p -> Reply.ok(p.json(), p.version()));
  }

  private Future<Reply> delete(RoutingContext rc) {
    return patients.delete(Requests.tenant(rc), Requests.pathUuid(rc, "patientId")).map(v -> Reply.noContent());
  }
}
