package io.caduceus.api.onboarding;

import io.caduceus.api.auth.TenantMember;
import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** The {@code /v1/tenants/{tenantId}} operations; the resolver has checked the path names the active tenant. */
public final class TenantAdminHandlers {

  private final TenantAdminService admin;
  private final InvitationService invitations;
  private final WebOriginService webOrigins;
  private final Idempotency idempotency;

  public TenantAdminHandlers(TenantAdminService admin, InvitationService invitations, WebOriginService webOrigins,
                             Idempotency idempotency) {
    this.admin = admin;
    this.invitations = invitations;
    this.webOrigins = webOrigins;
    this.idempotency = idempotency;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("getTenant", this::get);
    ops.bind("updateTenantSettings", this::update);
    ops.bind("listTenantUsers", this::members);
    ops.bind("setUserRoles", this::setRoles);
    ops.bind("removeTenantUser", this::remove);
    ops.bind("createInvitation", this::invite);
    ops.bind("listInvitations", this::invitations);
    ops.bind("revokeInvitation", this::revoke);
    ops.bind("getTenantWebOrigins", rc -> webOrigins.get(Requests.tenant(rc)).map(Reply::ok));
    ops.bind("putTenantWebOrigins", rc -> webOrigins.replace(Requests.tenant(rc), Requests.body(rc)).map(Reply::ok));
  }

  private Future<Reply> get(RoutingContext rc) {
    return admin.get(Requests.tenant(rc)).map(t -> Reply.ok(TenantJson.of(t), t.version()));
  }

  private Future<Reply> update(RoutingContext rc) {
    int version = ETags.required(rc);
    return admin.updateSettings(Requests.tenant(rc), version, Requests.body(rc))
        .map(t -> Reply.ok(TenantJson.of(t), t.version()));
  }

  private Future<Reply> members(RoutingContext rc) {
    return admin.members(Requests.tenant(rc), Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(TenantMember::toJson)));
  }

  private Future<Reply> setRoles(RoutingContext rc) {
    return admin.setRoles(Requests.tenant(rc), Requests.pathUuid(rc, "userId"),
            TenantAdminService.roles(Requests.body(rc)))
        .map(m -> Reply.ok(m.toJson()));
  }

  private Future<Reply> remove(RoutingContext rc) {
    return admin.remove(Requests.tenant(rc), Requests.pathUuid(rc, "userId")).map(v -> Reply.noContent());
  }

  private Future<Reply> invite(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    return idempotency.inControlPlane(rc, Idempotency.principal(ctx), () -> invitations.create(ctx, Requests.body(rc))
        .map(created -> Reply.created("/v1/tenants/" + ctx.tenantId() + "/invitations/" + created.invitation().id(),
            created.toJson())));
  }

  private Future<Reply> invitations(RoutingContext rc) {
    return invitations.list(Requests.tenant(rc), Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(Invitation::toJson)));
  }

  private Future<Reply> revoke(RoutingContext rc) {
    return invitations.revoke(Requests.tenant(rc), Requests.pathUuid(rc, "invitationId")).map(v -> Reply.noContent());
  }
}
