package io.caduceus.api.onboarding;

import io.caduceus.api.auth.TenantMember;
import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
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
    ops.bindRaw("getTenant", this::get);
    ops.bindRaw("updateTenantSettings", this::update);
    ops.bindRaw("listTenantUsers", this::members);
    ops.bindRaw("setUserRoles", this::setRoles);
    ops.bindRaw("removeTenantUser", this::remove);
    ops.bindRaw("createInvitation", this::invite);
    ops.bindRaw("listInvitations", this::invitations);
    ops.bindRaw("revokeInvitation", this::revoke);
    ops.bindRaw("getTenantWebOrigins", rc -> webOrigins.get(Requests.tenant(rc))
        .onSuccess(json -> Replies.send(rc, Reply.ok(json))).onFailure(rc::fail));
    ops.bindRaw("putTenantWebOrigins", rc -> webOrigins.replace(Requests.tenant(rc), Requests.body(rc))
        .onSuccess(json -> Replies.send(rc, Reply.ok(json))).onFailure(rc::fail));
  }

  private void get(RoutingContext rc) {
    admin.get(Requests.tenant(rc))
        .onSuccess(t -> Replies.send(rc, Reply.ok(TenantJson.of(t), t.version())))
        .onFailure(rc::fail);
  }

  private void update(RoutingContext rc) {
    int version = ETags.required(rc);
    admin.updateSettings(Requests.tenant(rc), version, Requests.body(rc))
        .onSuccess(t -> Replies.send(rc, Reply.ok(TenantJson.of(t), t.version())))
        .onFailure(rc::fail);
  }

  private void members(RoutingContext rc) {
    admin.members(Requests.tenant(rc), Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .onSuccess(page -> Replies.send(rc, Reply.ok(page.toJson(TenantMember::toJson))))
        .onFailure(rc::fail);
  }

  private void setRoles(RoutingContext rc) {
    admin.setRoles(Requests.tenant(rc), Requests.pathUuid(rc, "userId"), TenantAdminService.roles(Requests.body(rc)))
        .onSuccess(m -> Replies.send(rc, Reply.ok(m.toJson())))
        .onFailure(rc::fail);
  }

  private void remove(RoutingContext rc) {
    admin.remove(Requests.tenant(rc), Requests.pathUuid(rc, "userId"))
        .onSuccess(v -> Replies.send(rc, Reply.noContent()))
        .onFailure(rc::fail);
  }

  private void invite(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    idempotency.inControlPlane(rc, Idempotency.principal(ctx), () -> invitations.create(ctx, Requests.body(rc))
            .map(created -> Reply.created("/v1/tenants/" + ctx.tenantId() + "/invitations/"
                + created.invitation().id(), created.toJson())))
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private void invitations(RoutingContext rc) {
    invitations.list(Requests.tenant(rc), Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .onSuccess(page -> Replies.send(rc, Reply.ok(page.toJson(Invitation::toJson))))
        .onFailure(rc::fail);
  }

  private void revoke(RoutingContext rc) {
    invitations.revoke(Requests.tenant(rc), Requests.pathUuid(rc, "invitationId"))
        .onSuccess(v -> Replies.send(rc, Reply.noContent()))
        .onFailure(rc::fail);
  }
}
