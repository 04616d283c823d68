package io.caduceus.api.partner;

import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.function.Supplier;

/** The {@code /v1/partner-invitations} and {@code /v1/partner-links} operations. */
public final class PartnerHandlers {

  private final PartnerService partners;
  private final Idempotency idempotency;

  public PartnerHandlers(PartnerService partners, Idempotency idempotency) {
    this.partners = partners;
    this.idempotency = idempotency;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bindRaw("createPartnerInvitation", this::invite);
    ops.bindRaw("listPartnerInvitations", this::invitations);
    ops.bindRaw("getPartnerInvitation", rc -> partners.invitation(Requests.tenant(rc),
            Requests.pathUuid(rc, "invitationId"))
        .onSuccess(inv -> Replies.send(rc, Reply.ok(inv)))
        .onFailure(rc::fail));
    ops.bindRaw("acceptPartnerInvitation", this::accept);
    ops.bindRaw("declinePartnerInvitation", this::decline);
    ops.bindRaw("listPartnerLinks", this::links);
    ops.bindRaw("getPartnerLink", rc -> partners.get(Requests.tenant(rc), Requests.pathUuid(rc, "linkId"))
        .onSuccess(link -> Replies.send(rc, Reply.ok(link.toJson())))
        .onFailure(rc::fail));
    ops.bindRaw("revokePartnerLink", this::revoke);
    ops.bindRaw("recordResidencyDecision", this::residency);
  }

  private void invite(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    PartnerScope scope = PartnerScope.fromWire(Requests.body(rc).getString("scope"));
    inControlPlane(rc, ctx, () -> partners.invite(ctx, scope)
        .map(inv -> Reply.created("/v1/partner-invitations/" + inv.id(), inv.toJson())));
  }

  private void invitations(RoutingContext rc) {
    partners.invitations(Requests.tenant(rc))
        .onSuccess(items -> Replies.send(rc, Reply.ok(new JsonObject().put("items", new JsonArray(items)))))
        .onFailure(rc::fail);
  }

  private void accept(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    String code = Requests.body(rc).getString("code");
    inControlPlane(rc, ctx, () -> partners.accept(ctx, code)
        .map(link -> Reply.created("/v1/partner-links/" + link.id(), link.toJson())));
  }

  private void decline(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    String code = Requests.body(rc).getString("code");
    inControlPlane(rc, ctx, () -> partners.decline(ctx, code).map(v -> Reply.noContent()));
  }

  private void links(RoutingContext rc) {
    partners.links(Requests.tenant(rc))
        .onSuccess(links -> Replies.send(rc, Reply.ok(new JsonObject().put("items", json(links)))))
        .onFailure(rc::fail);
  }

  private void revoke(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    inControlPlane(rc, ctx, () -> partners.revoke(ctx, Requests.pathUuid(rc, "linkId"))
        .map(link -> Reply.ok(link.toJson())));
  }

  private void residency(RoutingContext rc) {
    partners.recordResidency(Requests.tenant(rc), Requests.pathUuid(rc, "linkId"),
            Requests.body(rc).getString("basis"))
        .onSuccess(link -> Replies.send(rc, Reply.ok(link.toJson())))
        .onFailure(rc::fail);
  }

  private void inControlPlane(RoutingContext rc, TenantContext ctx, Supplier<Future<Reply>> action) {
    idempotency.inControlPlane(rc, Idempotency.principal(ctx), action)
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private static JsonArray json(List<PartnerLink> links) {
    JsonArray items = new JsonArray();
    links.forEach(link -> items.add(link.toJson()));
    return items;
  }
}
