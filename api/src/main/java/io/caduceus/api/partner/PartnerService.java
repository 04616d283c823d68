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
import io.caduceus.routing.Timestamps;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.keys.SecretTokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
        .compose(v -> controlPlane.pool().preparedQuery(PartnerSql.INVITE).execute(Tuple.from(new Object[] {id,
            ctx.tenantId().value(), scope.wire(), Buffer.buffer(SecretTokens.hash(code)), ctx.userId(),
            Timestamps.utc(expires)})))
        .map(rows -> new PartnerInvitation(id, scope, expires, code));
  }

  /** The caller's tenant's partner invitations, newest first. */
  public Future<List<JsonObject>> invitations(TenantContext ctx) {
    return Access.check(ctx, Permission.PARTNERS_MANAGE)
        .compose(v -> controlPlane.pool().preparedQuery(PartnerSql.INVITATIONS).execute(Tuple.of(ctx.tenantId().value())))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          rows.forEach(row -> out.add(invitationJson(row)));
          return out;
        });
  }

  /** One of the caller's tenant's partner invitations (never its code, which only its creator saw once). */
  public Future<JsonObject> invitation(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.PARTNERS_MANAGE)
        .compose(v -> controlPlane.pool().preparedQuery(PartnerSql.INVITATION)
            .execute(Tuple.of(ctx.tenantId().value(), id)))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new NotFound("no such partner invitation");
          }
          return invitationJson(rows.iterator().next());
        });
  }

  private static JsonObject invitationJson(Row row) {
    String answer = row.getString("answer");
    boolean expired = answer == null && row.getOffsetDateTime("expires_at").toInstant().isBefore(Instant.now());
    return new JsonObject().put("id", row.getUUID("id").toString()).put("scope", row.getString("scope"))
        .put("status", answer != null ? answer : expired ? "expired" : "pending")
        .put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString())
        .put("expiresAt", row.getOffsetDateTime("expires_at").toInstant().toString())
        .put("linkId", row.getUUID("link_id") == null ? null : row.getUUID("link_id").toString());
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
        .compose(self -> controlPlane.inTransaction(conn -> conn.preparedQuery(PartnerSql.BY_CODE)
            .execute(Tuple.of(Buffer.buffer(SecretTokens.hash(code))))
            .compose(rows -> {
              Row inv = answerable(rows.size() == 0 ? null : rows.iterator().next(), self.orElseThrow());
              PartnerScope scope = PartnerScope.fromWire(inv.getString("scope"));
              return conn.preparedQuery(PartnerSql.LINK).execute(Tuple.of(linkId, inv.getUUID("tenant_id"),
                      ctx.tenantId().value(), scope.wire()))
                  .compose(v -> conn.preparedQuery(PartnerSql.ANSWER).execute(Tuple.of(inv.getUUID("id"),
                      ctx.tenantId().value(), "accepted", linkId)));
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
        .compose(self -> controlPlane.inTransaction(conn -> conn.preparedQuery(PartnerSql.BY_CODE)
            .execute(Tuple.of(Buffer.buffer(SecretTokens.hash(code))))
            .compose(rows -> {
              Row inv = answerable(rows.size() == 0 ? null : rows.iterator().next(), self.orElseThrow());
              return conn.preparedQuery(PartnerSql.ANSWER)
                  .execute(Tuple.of(inv.getUUID("id"), ctx.tenantId().value(), "declined", null));
            })))
        .mapEmpty();
  }

  /** Every link the caller's tenant is part of. */
  public Future<List<PartnerLink>> links(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_READ)
        .compose(v -> controlPlane.pool().preparedQuery(PartnerSql.LINKS_OF).execute(Tuple.of(ctx.tenantId().value())))
        .map(rows -> {
          List<PartnerLink> out = new ArrayList<>();
          rows.forEach(row -> out.add(PartnerLink.fromRow(row)));
          return out;
        });
  }

  /** Revokes a link the caller's tenant is part of; no new traffic crosses it afterwards. */
  public Future<PartnerLink> revoke(TenantContext ctx, UUID linkId) {
    return Access.check(ctx, Permission.PARTNERS_MANAGE)
        .compose(v -> controlPlane.pool().preparedQuery(PartnerSql.REVOKE).execute(Tuple.of(linkId,
            ctx.tenantId().value())))
        .compose(rows -> rows.rowCount() == 1 ? link(ctx, linkId)
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
          return controlPlane.pool().preparedQuery(PartnerSql.RESIDENCY)
              .execute(Tuple.of(linkId, ctx.tenantId().value(), basis, ctx.userId()))
              .compose(rows -> rows.rowCount() == 1 ? link(ctx, linkId)
                  : Future.failedFuture(new Conflict("the link is revoked")));
        })
        .onSuccess(link -> ctx.audit().partner(link.partner().value()));
  }

  /** The active link of {@code scope} from {@code requester} to {@code partner}, if a new item may cross it now. */
  public Future<PartnerLink> usableLink(TenantId requester, TenantId partner, PartnerScope scope) {
    return controlPlane.pool().preparedQuery(PartnerSql.ACTIVE_LINK)
        .execute(Tuple.of(requester.value(), partner.value(), scope.wire()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new Forbidden("there is no active " + scope.wire() + " partner link with that tenant");
          }
          return usable(PartnerLink.fromRow(rows.iterator().next()));
        });
  }

  /** The link an earlier item crossed, if its answer may cross it back now; {@code self} must be a party. */
  public Future<PartnerLink> usableLink(UUID linkId, TenantId self) {
    return find(linkId).map(found -> usable(found.filter(link -> link.joins(self))
        .orElseThrow(() -> new Forbidden("the partner link of this item no longer exists"))));
  }

  /** The link with this id, whoever its parties are (for delivering an exchange already accepted by a party). */
  public Future<Optional<PartnerLink>> find(UUID linkId) {
    return controlPlane.pool().preparedQuery(PartnerSql.ANY_LINK).execute(Tuple.of(linkId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(PartnerLink.fromRow(rows.iterator().next())));
  }

  private static PartnerLink usable(PartnerLink link) {
    link.refusal().ifPresent(refusal -> {
      throw refusal;
    });
    return link;
  }

  private Future<PartnerLink> link(TenantContext ctx, UUID linkId) {
    return controlPlane.pool().preparedQuery(PartnerSql.LINK_BY_ID).execute(Tuple.of(linkId, ctx.tenantId().value()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new NotFound("no such partner link");
          }
          return PartnerLink.fromRow(rows.iterator().next());
        });
  }

  /**
   * The invitation, if the answering tenant may answer it now, either way: holding the code is not enough, the
   * tenant must be of the kind the invitation is addressed to (a lab for {@code lab_orders}).
   */
  private static Row answerable(Row inv, Tenant self) {
    if (inv == null) {
      throw new NotFound("no such partner invitation");
    }
    if (inv.getValue("answered_at") != null) {
      throw new Conflict("this partner invitation was already answered");
    }
    if (inv.getOffsetDateTime("expires_at").toInstant().isBefore(Instant.now())) {
      throw new Conflict("this partner invitation has expired");
    }
    if (self.id().value().equals(inv.getUUID("tenant_id"))) {
      throw new Conflict("a tenant cannot partner with itself");
    }
    if (!"active".equals(inv.getString("status"))) {
      throw new Forbidden("the inviting tenant is not active");
    }
    PartnerScope scope = PartnerScope.fromWire(inv.getString("scope"));
    if (!scope.mayServe(self.kind())) {
      throw new Forbidden("only a " + scope.partnerKind().wire() + " can answer an invitation to serve "
          + scope.wire());
    }
    return inv;
  }
}
