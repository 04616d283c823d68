package io.caduceus.api.partner;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.keys.SecretTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Partner links between tenants: a care provider invites a lab, pharmacy or insurer with a single-use, expiring
 * code; the partner's admin accepts or declines it; either side can revoke the link. A link across data regions
 * is unusable until the care provider records a residency decision. {@link #usableLink} is the check every
 * cross-tenant exchange makes when it is sent; delivery checks the same link again. The links live in the control
 * plane, so each change's declared audit record is written once it has committed; the service names the link and
 * the other tenant.
 */
public final class PartnerService {

  private static final Duration VALIDITY = Duration.ofDays(7);

  private final ControlPlane controlPlane;
  private final TenantCatalog catalog;
  private final PartnerRepository partners = new PartnerRepository();

  public PartnerService(ControlPlane controlPlane, TenantCatalog catalog) {
    this.controlPlane = controlPlane;
    this.catalog = catalog;
  }

  /** A new partner invitation and its code, shown this once. */
  public record PartnerInvitation(UUID id, PartnerScope scope, Instant expiresAt, String code) {

    /** The contract's {@code PartnerInvitationCreated}. */
    public JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("scope", scope.wire())
          .put("expiresAt", expiresAt.toString()).put("code", code);
    }
  }

  /** Invites a partner to serve items of {@code scope} for the caller's tenant. */
  public Future<PartnerInvitation> invite(TenantContext ctx, PartnerScope scope) {
    UUID id = UuidV7.next();
    String code = SecretTokens.next();
    Instant expires = Instant.now().plus(VALIDITY);
    ctx.audit().about(id);
    return Access.check(ctx, Permission.PARTNERS_MANAGE)
        .compose(v -> catalog.find(ctx.tenantId()))
        .compose(tenant -> scope.mayRequest(tenant.orElseThrow().kind()) ? Future.succeededFuture()
            : Future.<Void>failedFuture(new Invalid("/scope", "a " + tenant.get().kind().wire()
                + " does not send " + scope.wire())))
        .compose(v -> partners.invite(controlPlane.pool(), ctx, id, scope, SecretTokens.hash(code), expires))
        .map(v -> new PartnerInvitation(id, scope, expires, code));
  }

  /** The caller's tenant's partner invitations, newest first. */
  public Future<List<JsonObject>> invitations(TenantContext ctx) {
    return Access.check(ctx, Permission.PARTNERS_MANAGE)
        .compose(v -> partners.invitations(controlPlane.pool(), ctx.tenantId()))
        .map(found -> found.stream().map(PartnerRepository.Sent::toJson).toList());
  }

  /** One of the caller's tenant's partner invitations (never its code, which only its creator saw once). */
  public Future<JsonObject> invitation(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.PARTNERS_MANAGE)
        .compose(v -> partners.invitation(controlPlane.pool(), ctx.tenantId(), id))
        .map(found -> found.orElseThrow(() -> new NotFound("no such partner invitation")).toJson());
  }

  /** One link the caller's tenant is a party to. */
  public Future<PartnerLink> get(TenantContext ctx, UUID linkId) {
    return Access.check(ctx, Permission.TENANT_READ).compose(v -> link(ctx, linkId));
  }

  /** Accepts an invitation for the caller's tenant, creating the link. */
  public Future<PartnerLink> accept(TenantContext ctx, String code) {
    UUID linkId = UuidV7.next();
    ctx.audit().about(linkId);
    return Access.check(ctx, Permission.PARTNERS_MANAGE)
        .compose(v -> catalog.find(ctx.tenantId()))
        .compose(self -> controlPlane.inTransaction(conn -> partners.lockByCode(conn, SecretTokens.hash(code))
            .compose(found -> {
              PartnerRepository.Received inv = answerable(found, self.orElseThrow());
              return partners.link(conn, ctx, linkId, inv.inviter(), inv.scope())
                  .compose(v -> partners.answer(conn, ctx, inv.id(), "accepted", linkId));
            })))
        .recover(failure -> ConstraintViolation.of(failure, "partner_link_one_active")
            ? Future.failedFuture(new Conflict("these tenants already have an active link of this scope"))
            : Future.failedFuture(failure))
        .compose(v -> link(ctx, linkId))
        .onSuccess(link -> ctx.audit().partner(link.requester().value()));
  }

  /** Declines an invitation addressed to the caller's tenant (a tenant of the kind it invites, as for accepting). */
  public Future<Void> decline(TenantContext ctx, String code) {
    return Access.check(ctx, Permission.PARTNERS_MANAGE)
        .compose(v -> catalog.find(ctx.tenantId()))
        .compose(self -> controlPlane.inTransaction(conn -> partners.lockByCode(conn, SecretTokens.hash(code))
            .compose(found -> partners.answer(conn, ctx, answerable(found, self.orElseThrow()).id(), "declined",
                null))));
  }

  /** Every link the caller's tenant is part of. */
  public Future<List<PartnerLink>> links(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_READ)
        .compose(v -> partners.links(controlPlane.pool(), ctx.tenantId()));
  }

  /** Revokes a link the caller's tenant is part of; no new traffic crosses it afterwards. */
  public Future<PartnerLink> revoke(TenantContext ctx, UUID linkId) {
    return Access.check(ctx, Permission.PARTNERS_MANAGE)
        .compose(v -> partners.revoke(controlPlane.pool(), ctx.tenantId(), linkId))
        .compose(revoked -> revoked ? link(ctx, linkId)
            : link(ctx, linkId).compose(l -> Future.<PartnerLink>failedFuture(new Conflict("the link is already revoked"))))
        .onSuccess(link -> ctx.audit().partner(link.other(ctx.tenantId()).value()));
  }

  /** Records the care provider's decision to let a link carry data between two regions, and on what basis. */
  public Future<PartnerLink> recordResidency(TenantContext ctx, UUID linkId, String basis) {
    return Access.check(ctx, Permission.PARTNERS_MANAGE)
        .compose(v -> link(ctx, linkId))
        .compose(found -> {
          if (!found.requester().equals(ctx.tenantId())) {
            return Future.failedFuture(new Forbidden("the care provider that sends the data records the decision"));
          }
          if (!found.crossesRegions()) {
            return Future.failedFuture(new Conflict("both tenants keep their data in " + found.requesterRegion()
                + "; no residency decision is needed"));
          }
          return partners.recordResidency(controlPlane.pool(), ctx, linkId, basis)
              .compose(recorded -> recorded ? link(ctx, linkId)
                  : Future.failedFuture(new Conflict("the link is revoked")));
        })
        .onSuccess(link -> ctx.audit().partner(link.partner().value()));
  }

  /** The active link of {@code scope} from {@code requester} to {@code partner}, if a new item may cross it now. */
  public Future<PartnerLink> usableLink(TenantId requester, TenantId partner, PartnerScope scope) {
    return partners.activeLink(controlPlane.pool(), requester, partner, scope)
        .map(found -> usable(found.orElseThrow(() -> new Forbidden("there is no active " + scope.wire()
            + " partner link with that tenant"))));
  }

  /** The link an earlier item crossed, if its answer may cross it back now; {@code self} must be a party. */
  public Future<PartnerLink> usableLink(UUID linkId, TenantId self) {
    return find(linkId).map(found -> usable(found.filter(link -> link.joins(self))
        .orElseThrow(() -> new Forbidden("the partner link of this item no longer exists"))));
  }

  /** The link with this id, whoever its parties are (for delivering an exchange already accepted by a party). */
  public Future<Optional<PartnerLink>> find(UUID linkId) {
    return partners.find(controlPlane.pool(), linkId);
  }

  private static PartnerLink usable(PartnerLink link) {
    link.refusal().ifPresent(refusal -> {
      throw refusal;
    });
    return link;
  }

  private Future<PartnerLink> link(TenantContext ctx, UUID linkId) {
    return partners.linkOf(controlPlane.pool(), ctx.tenantId(), linkId)
        .map(found -> found.orElseThrow(() -> new NotFound("no such partner link")));
  }

  /**
   * The invitation, if the answering tenant may answer it now, either way: holding the code is not enough, the
   * tenant must be of the kind the invitation is addressed to (a lab for {@code lab_orders}).
   */
  private static PartnerRepository.Received answerable(Optional<PartnerRepository.Received> found, Tenant self) {
    PartnerRepository.Received inv = found.orElseThrow(() -> new NotFound("no such partner invitation"));
    if (inv.answered()) {
      throw new Conflict("this partner invitation was already answered");
    }
    if (inv.expiresAt().isBefore(Instant.now())) {
      throw new Conflict("this partner invitation has expired");
    }
    if (self.id().equals(inv.inviter())) {
      throw new Conflict("a tenant cannot partner with itself");
    }
    if (!inv.inviterActive()) {
      throw new Forbidden("the inviting tenant is not active");
    }
    PartnerScope scope = inv.scope();
    if (!scope.mayServe(self.kind())) {
      throw new Forbidden("only a " + scope.partnerKind().wire() + " can answer an invitation to serve "
          + scope.wire());
    }
    return inv;
  }
}
