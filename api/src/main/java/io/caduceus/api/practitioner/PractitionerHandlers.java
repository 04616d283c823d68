package io.caduceus.api.practitioner;

import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
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
    ops.bindRaw("createPractitioner", this::create);
    ops.bindRaw("listPractitioners", this::list);
    ops.bindRaw("getPractitioner", this::get);
    ops.bindRaw("updatePractitioner", this::update);
  }

  private void create(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    idempotency.inTenant(rc, ctx, scoped -> practitioners.create(scoped, Requests.body(rc))
            .map(p -> Reply.created("/v1/practitioners/" + p.id(), p.toJson(), p.version())))
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private void list(RoutingContext rc) {
    practitioners.list(Requests.tenant(rc), Requests.queryBoolean(rc, "active"), Requests.queryInt(rc, "limit", 20),
            Requests.queryString(rc, "cursor"))
        .onSuccess(page -> Replies.send(rc, Reply.ok(page.toJson(Practitioner::toJson))))
        .onFailure(rc::fail);
  }

  private void get(RoutingContext rc) {
    practitioners.get(Requests.tenant(rc), Requests.pathUuid(rc, "practitionerId"))
        .onSuccess(p -> Replies.send(rc, Reply.ok(p.toJson(), p.version())))
        .onFailure(rc::fail);
  }

  private void update(RoutingContext rc) {
    int version = ETags.required(rc);
    practitioners.update(Requests.tenant(rc), Requests.pathUuid(rc, "practitionerId"), version, Requests.body(rc))
        .onSuccess(p -> Replies.send(rc, Reply.ok(p.toJson(), p.version())))
        .onFailure(rc::fail);
  }
}
