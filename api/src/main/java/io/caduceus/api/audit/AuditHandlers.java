package io.caduceus.api.audit;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
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
    ops.bind("listAuditEvents", this::list);
    ops.bind("verifyAuditChain", rc -> audit.verify(Requests.tenant(rc)).map(v -> Reply.ok(v.toJson())));
    ops.bind("verifyTenantAuditChain", rc -> repairs.verify(Requests.tenant(rc), Requests.pathTenant(rc))
        .map(v -> Reply.ok(v.toJson())));
    ops.bind("repairTenantAuditChain", rc -> repairs.repair(Requests.tenant(rc), Requests.pathTenant(rc),
            Requests.body(rc))
        .map(r -> Reply.created(repairPath(Requests.pathTenant(rc), r), r.toJson())));
    ops.bind("getTenantAuditRepair", rc -> repairs.get(Requests.tenant(rc), Requests.pathTenant(rc),
            Requests.pathUuid(rc, "repairId"))
        .map(r -> Reply.ok(r.toJson())));
  }

  private Future<Reply> list(RoutingContext rc) {
    AuditQuery q = new AuditQuery(Requests.queryUuid(rc, "patientId"), Requests.queryUuid(rc, "actorUserId"),
        Requests.queryString(rc, "action"), Requests.queryInstant(rc, "from"), Requests.queryInstant(rc, "to"),
        Requests.queryInt(rc, "limit", 20));
    return audit.list(Requests.tenant(rc), q, Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(AuditRecord::toJson)));
  }

  private static String repairPath(TenantId tenant, AuditRepair repair) {
    return "/v1/platform/tenants/" + tenant + "/audit-repairs/" + repair.id();
  }
}
