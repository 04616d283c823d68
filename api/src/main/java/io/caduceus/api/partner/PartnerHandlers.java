package io.caduceus.api.partner;

import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
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
    ops.bind("createPartnerInvitation", this::invite);
    ops.bind("listPartnerInvitations", rc -> partners.invitations(Requests.tenant(rc))
        .map(items -> Reply.ok(new JsonObject().put("items", new JsonArray(items)))));
    ops.bind("getPartnerInvitation", rc -> partners.invitation(Requests.tenant(rc),
            Requests.pathUuid(rc, "invitationId"))
        .map(Reply::ok));
    ops.bind("acceptPartnerInvitation", this::accept);
    ops.bind("declinePartnerInvitation", this::decline);
    ops.bind("listPartnerLinks", rc -> partners.links(Requests.tenant(rc))
        .map(links -> Reply.ok(new JsonObject().put("items", json(links)))));
    ops.bind("getPartnerLink", rc -> partners.get(Requests.tenant(rc), Requests.pathUuid(rc, "linkId"))
        .map(link -> Reply.ok(link.toJson())));
    ops.bind("revokePartnerLink", this::revoke);
    ops.bind("recordResidencyDecision", rc -> partners.recordResidency(Requests.tenant(rc),
            Requests.pathUuid(rc, "linkId"), Requests.body(rc).getString("basis"))
        .map(link -> Reply.ok(link.toJson())));
  }

  private Future<Reply> invite(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    PartnerScope scope = PartnerScope.fromWire(Requests.body(rc).getString("scope"));
    return inControlPlane(rc, ctx, () -> partners.invite(ctx, scope)
        .map(inv -> Reply.created("/v1/partner-invitations/" + inv.id(), inv.toJson())));
  }

  private Future<Reply> accept(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    String code = Requests.body(rc).getString("code");
    return inControlPlane(rc, ctx, () -> partners.accept(ctx, code)
        .map(link -> Reply.created("/v1/partner-links/" + link.id(), link.toJson())));
  }

  private Future<Reply> decline(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    String code = Requests.body(rc).getString("code");
    return inControlPlane(rc, ctx, () -> partners.decline(ctx, code).map(v -> Reply.noContent()));
  }

  private Future<Reply> revoke(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    return inControlPlane(rc, ctx, () -> partners.revoke(ctx, Requests.pathUuid(rc, "linkId"))
        .map(link -> Reply.ok(link.toJson())));
  }

  private Future<Reply> inControlPlane(RoutingContext rc, TenantContext ctx, Supplier<Future<Reply>> action) {
    return idempotency.inControlPlane(rc, Idempotency.principal(ctx), action);
  }

  private static JsonArray json(List<PartnerLink> links) {
    JsonArray items = new JsonArray();
    links.forEach(link -> items.add(link.toJson()));
    return items;
  }
}
