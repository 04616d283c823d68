package io.caduceus.api.audit;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.vertx.ext.web.RoutingContext;

/** The {@code /v1/audit-events} operations. */
public final class AuditHandlers {

  private final AuditService audit;

  public AuditHandlers(AuditService audit) {
    this.audit = audit;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("listAuditEvents", this::list);
    ops.bind("verifyAuditChain", this::verify);
  }

  private void list(RoutingContext rc) {
    AuditQuery q = new AuditQuery(Requests.queryUuid(rc, "patientId"), Requests.queryUuid(rc, "actorUserId"),
        Requests.queryString(rc, "action"), Requests.queryInstant(rc, "from"), Requests.queryInstant(rc, "to"),
        Requests.queryInt(rc, "limit", 20));
    audit.list(Requests.tenant(rc), q, Requests.queryString(rc, "cursor"))
        .onSuccess(page -> Replies.send(rc, Reply.ok(page.toJson(AuditRecord::toJson))))
        .onFailure(rc::fail);
  }

  private void verify(RoutingContext rc) {
    audit.verify(Requests.tenant(rc))
        .onSuccess(v -> Replies.send(rc, Reply.ok(v.toJson())))
        .onFailure(rc::fail);
  }
}
