package io.caduceus.api.audit;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantId;
import io.vertx.ext.web.RoutingContext;

/** The {@code /v1/audit-events} operations, and the platform owner's on a tenant's audit chain. */
public final class AuditHandlers {

  private final AuditService audit;
  private final AuditRepairs repairs;

  public AuditHandlers(AuditService audit, AuditRepairs repairs) {
    this.audit = audit;
    this.repairs = repairs;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bindRaw("listAuditEvents", this::list);
    ops.bindRaw("verifyAuditChain", this::verify);
    ops.bindRaw("verifyTenantAuditChain", rc -> repairs.verify(Requests.tenant(rc), tenant(rc))
        .onSuccess(v -> Replies.send(rc, Reply.ok(v.toJson())))
        .onFailure(rc::fail));
    ops.bindRaw("repairTenantAuditChain", rc -> repairs.repair(Requests.tenant(rc), tenant(rc), Requests.body(rc))
        .onSuccess(r -> Replies.send(rc, Reply.created(repairPath(tenant(rc), r), r.toJson())))
        .onFailure(rc::fail));
    ops.bindRaw("getTenantAuditRepair", rc -> repairs.get(Requests.tenant(rc), tenant(rc),
            Requests.pathUuid(rc, "repairId"))
        .onSuccess(r -> Replies.send(rc, Reply.ok(r.toJson())))
        .onFailure(rc::fail));
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

  private static TenantId tenant(RoutingContext rc) {
    return new TenantId(Requests.pathUuid(rc, "tenantId"));
  }

  private static String repairPath(TenantId tenant, AuditRepair repair) {
    return "/v1/platform/tenants/" + tenant + "/audit-repairs/" + repair.id();
  }
}
