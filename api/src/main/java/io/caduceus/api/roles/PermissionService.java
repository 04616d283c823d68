package io.caduceus.api.roles;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.MemberAccesses;
import io.caduceus.api.access.Permission;
import io.caduceus.api.access.PermissionCatalogue;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** The permission catalogue, and effective permissions with their provenance (one's own, or a member's). */
final class PermissionService {

  private final ControlPlane controlPlane;
  private final RoleRepository repo;
  private final MemberAccesses accesses;

  PermissionService(ControlPlane controlPlane, RoleRepository repo, MemberAccesses accesses) {
    this.controlPlane = controlPlane;
    this.repo = repo;
    this.accesses = accesses;
  }

  /** The catalogue; any staff member may read it (a patient's portal token may not). */
  Future<JsonObject> catalogue(TenantContext ctx) {
    return staff(ctx).map(v -> PermissionCatalogue.json());
  }

  /** The caller's own effective permissions, for the groups in force (none yet) and the token's base roles. */
  Future<JsonObject> own(TenantContext ctx) {
    return staff(ctx).compose(v -> accesses.read(ctx.tenantId(), ctx.userId()))
        .map(access -> EffectivePermissions.of(ctx.userId(), ctx.roles(), access, Instant.now(), Set.of()));
  }

  /** A staff member's effective permissions as an admin sees them (their membership's base roles, no group). */
  Future<JsonObject> member(TenantContext ctx, UUID user) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> repo.staffMember(controlPlane.pool(), ctx.tenantId(), user))
        .compose(found -> found.isEmpty() ? Future.failedFuture(new NotFound("no such member"))
            : accesses.read(ctx.tenantId(), user).map(access -> EffectivePermissions.of(user, found.get(), access,
                Instant.now(), Set.of())));
  }

  private static Future<Void> staff(TenantContext ctx) {
    return ctx.patientId().isPresent() || Access.has(ctx, Permission.PORTAL)
        ? Future.failedFuture(new Forbidden("the permission catalogue is for staff"))
        : Future.succeededFuture();
  }
}
