package io.caduceus.api.roles;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.MemberAccess;
import io.caduceus.api.access.MemberAccesses;
import io.caduceus.api.access.Permission;
import io.caduceus.api.access.PermissionCatalogue;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.organisation.GroupsInForce;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The permission catalogue, and effective permissions with their provenance (one's own, or a member's). A grant
 * limited to a group is resolved against the groups in force as a request resolves it ({@link GroupsInForce}, read
 * only when such a grant exists): the caller's session's for their own view, the member's outside any session for
 * an admin's view.
 */
final class PermissionService {

  private final ControlPlane controlPlane;
  private final RoleRepository repo;
  private final MemberAccesses accesses;
  private final GroupsInForce groupsInForce;

  PermissionService(ControlPlane controlPlane, RoleRepository repo, MemberAccesses accesses,
                    GroupsInForce groupsInForce) {
    this.controlPlane = controlPlane;
    this.repo = repo;
    this.accesses = accesses;
    this.groupsInForce = groupsInForce;
  }

  /** The catalogue; any staff member may read it (a patient's portal token may not). */
  Future<JsonObject> catalogue(TenantContext ctx) {
    return staff(ctx).map(v -> PermissionCatalogue.json());
  }

  /** The caller's own effective permissions, for their session's groups in force and the token's base roles. */
  Future<JsonObject> own(TenantContext ctx) {
    return staff(ctx).compose(v -> accesses.read(ctx.tenantId(), ctx.userId()))
        .compose(access -> inForce(access, () -> groupsInForce.of(ctx))
            .map(groups -> EffectivePermissions.of(ctx.userId(), ctx.roles(), access, Instant.now(), groups)));
  }

  /**
   * A staff member's effective permissions as an admin sees them: their membership's base roles, and their groups in
   * force outside any session ({@link GroupsInForce#ofMember}).
   */
  Future<JsonObject> member(TenantContext ctx, UUID user) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> repo.staffMember(controlPlane.pool(), ctx.tenantId(), user))
        .compose(found -> found.isEmpty() ? Future.failedFuture(new NotFound("no such member"))
            : accesses.read(ctx.tenantId(), user).compose(access -> inForce(access,
                () -> groupsInForce.ofMember(ctx, user)).map(groups -> EffectivePermissions.of(user, found.get(),
                access, Instant.now(), groups))));
  }

  /** The group ids in force, read only when a grant is limited to a group (as the request path reads them). */
  private static Future<Set<UUID>> inForce(MemberAccess access, Supplier<Future<GroupsInForce.Groups>> groups) {
    return access.hasScopedGrants() ? groups.get().map(GroupsInForce.Groups::all) : Future.succeededFuture(Set.of());
  }

  private static Future<Void> staff(TenantContext ctx) {
    return ctx.patientId().isPresent() || Access.has(ctx, Permission.PORTAL)
        ? Future.failedFuture(new Forbidden("the permission catalogue is for staff"))
        : Future.succeededFuture();
  }
}
