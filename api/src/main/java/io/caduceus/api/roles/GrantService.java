package io.caduceus.api.roles;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Grant;
import io.caduceus.api.access.Permission;
import io.caduceus.api.access.PermissionCatalogue;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Per-member grants ({@code tenant.users.manage}): one extra permission for one staff member, optionally limited
 * to a facility or a care team and with an optional expiry; the same rule as roles, no granting what you lack.
 */
final class GrantService {

  private final ControlPlane controlPlane;
  private final RoleRepository repo;
  private final AccessChanges changes;

  GrantService(ControlPlane controlPlane, RoleRepository repo, AccessChanges changes) {
    this.controlPlane = controlPlane;
    this.repo = repo;
    this.changes = changes;
  }

  /** Grants a permission to a staff member. */
  Future<Grant> grant(TenantContext ctx, UUID user, JsonObject body) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE).compose(v -> {
      Grant draft = draft(ctx, user, body);
      ctx.audit().about(draft.id());
      return changes.<Grant>apply(ctx, conn -> repo.staffMember(conn, ctx.tenantId(), user)
          .compose(member -> member.isEmpty() ? Future.failedFuture(new NotFound("no such member"))
              : repo.insertGrant(conn, ctx.tenantId(), draft))
          .map(g -> new AccessChanges.Change<>(g, "grant.create", "grant", g.id(), null, g.toJson())));
    });
  }

  /** One grant of a member, revoked ones included. */
  Future<Grant> get(TenantContext ctx, UUID user, UUID id) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> repo.findGrant(controlPlane.pool(), ctx.tenantId(), user, id))
        .map(found -> found.orElseThrow(() -> new NotFound("no such grant")));
  }

  /** A member's grants, oldest first, revoked and expired ones included. */
  Future<List<Grant>> list(TenantContext ctx, UUID user) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> repo.staffMember(controlPlane.pool(), ctx.tenantId(), user))
        .compose(member -> member.isEmpty() ? Future.failedFuture(new NotFound("no such member"))
            : repo.grants(controlPlane.pool(), ctx.tenantId(), user));
  }

  /** Revokes a grant; it stops working on the member's next request. */
  Future<Void> revoke(TenantContext ctx, UUID user, UUID id) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> changes.<Void>apply(ctx, conn -> repo.findGrant(conn, ctx.tenantId(), user, id)
            .compose(before -> before.isEmpty() ? Future.failedFuture(new NotFound("no such grant"))
                : repo.revokeGrant(conn, ctx.tenantId(), user, id, ctx.userId())
                .map(after -> new AccessChanges.Change<Void>(null, "grant.revoke", "grant", id,
                    before.get().toJson(), after.map(Grant::toJson).orElse(before.get().toJson()))))));
  }

  private static Grant draft(TenantContext ctx, UUID user, JsonObject body) {
    String permission = body.getString("permission");
    if (PermissionCatalogue.of(permission).isEmpty()) {
      throw new Invalid("/permission", "is not a permission of the catalogue (GET /v1/permissions)");
    }
    RoleDrafts.checkGrantable(ctx, Set.of(permission), "a grant you make");
    JsonObject scope = body.getJsonObject("scope");
    String expires = body.getString("expiresAt");
    Instant expiresAt = expires == null ? null : Requests.instant("/expiresAt", expires);
    if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
      throw new Unprocessable("expiresAt is already past: such a grant would never be in force");
    }
    return new Grant(UuidV7.next(), user, permission, scope == null ? null : scope.getString("kind"),
        scope == null ? null : UUID.fromString(scope.getString("id")), expiresAt, ctx.userId(), Instant.now(), null);
  }
}
