package io.caduceus.api.practitioner;

import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** The {@code /v1/practitioners} operations. */
public final class PractitionerHandlers {

  private final PractitionerService practitioners;
  private final Idempotency idempotency;

  public PractitionerHandlers(PractitionerService practitioners, Idempotency idempotency) {
    this.practitioners = practitioners;
    this.idempotency = idempotency;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("createPractitioner", this::create);
    ops.bind("listPractitioners", this::list);
    ops.bind("getPractitioner", this::get);
    ops.bind("updatePractitioner", this::update);
    ops.bind("listPractitionerFacilities", this::facilities);
    ops.bind("setPractitionerFacilities", this::setFacilities);
  }

  private Future<Reply> facilities(RoutingContext rc) {
    return practitioners.facilities(Requests.tenant(rc), Requests.pathUuid(rc, "practitionerId"))
        .map(f -> Reply.ok(f.toJson()));
  }

  private Future<Reply> setFacilities(RoutingContext rc) {
    return practitioners.setFacilities(Requests.tenant(rc), Requests.pathUuid(rc, "practitionerId"),
            Requests.body(rc))
        .map(f -> Reply.ok(f.toJson()));
  }

  private Future<Reply> create(RoutingContext rc) {
    return idempotency.inTransaction(rc, Requests.tenant(rc), joined -> practitioners.create(joined, Requests.body(rc))
        .map(p -> Reply.created("/v1/practitioners/" + p.id(), p.toJson(), p.version())));
  }

  private Future<Reply> list(RoutingContext rc) {
    return practitioners.list(Requests.tenant(rc), Requests.queryBoolean(rc, "active"),
            Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(Practitioner::toJson)));
  }

  private Future<Reply> get(RoutingContext rc) {
    return practitioners.get(Requests.tenant(rc), Requests.pathUuid(rc, "practitionerId"))
        .map(p -> Reply.ok(p.toJson(), p.version()));
  }

  private Future<Reply> update(RoutingContext rc) {
    int version = ETags.required(rc);
    return practitioners.update(Requests.tenant(rc), Requests.pathUuid(rc, "practitionerId"), version,
            Requests.body(rc))
        .map(p -> Reply.ok(p.toJson(), p.version()));
  }
}
