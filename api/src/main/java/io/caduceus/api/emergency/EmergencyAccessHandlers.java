package io.caduceus.api.emergency;

import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** The emergency ("break-glass") access operations: open, read, end, and the review report. */
public final class EmergencyAccessHandlers {

  private final EmergencyAccessService accesses;
  private final Idempotency idempotency;

  public EmergencyAccessHandlers(EmergencyAccessService accesses, Idempotency idempotency) {
    this.accesses = accesses;
    this.idempotency = idempotency;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("openEmergencyAccess", this::open);
    ops.bind("getEmergencyAccess", rc -> accesses.get(Requests.tenant(rc), Requests.pathUuid(rc, "accessId"))
        .map(a -> Reply.ok(a.toJson())));
    ops.bind("endEmergencyAccess", rc -> accesses.end(Requests.tenant(rc), Requests.pathUuid(rc, "accessId"))
        .map(a -> Reply.ok(a.toJson())));
    ops.bind("listEmergencyAccessUses", rc -> accesses.report(Requests.tenant(rc), Requests.queryInstant(rc, "from"),
            Requests.queryInstant(rc, "to"), Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(use -> use))));
  }

  private Future<Reply> open(RoutingContext rc) {
    return idempotency.inTransaction(rc, Requests.tenant(rc), joined -> accesses.open(joined,
            Requests.pathUuid(rc, "patientId"), Requests.body(rc))
        .map(opened -> opened.created()
            ? Reply.created("/v1/emergency-access/" + opened.access().id(), opened.access().toJson())
            : Reply.ok(opened.access().toJson())));
  }
}
