package io.caduceus.api.roles;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A tenant's own roles and who holds them ({@code tenant.users.manage}). Every change goes through
 * {@link AccessChanges}: recorded with before and after, and in force on the members' next request.
 */
final class RoleService {

  private static final String NAME_TAKEN = "tenant_role_name";

  private final ControlPlane controlPlane;
  private final RoleRepository repo;
  private final AccessChanges changes;

  RoleService(ControlPlane controlPlane, RoleRepository repo, AccessChanges changes) {
    this.controlPlane = controlPlane;
    this.repo = repo;
    this.changes = changes;
  }

  /** Defines a role. */
  Future<TenantRole> create(TenantContext ctx, JsonObject body) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE).compose(v -> {
      RoleRepository.Draft draft = RoleDrafts.of(ctx, body);
      UUID id = UuidV7.next();
      ctx.audit().about(id);
      return changes.<TenantRole>apply(ctx, conn -> repo.insert(conn, ctx.tenantId(), id, draft)
          .map(role -> new AccessChanges.Change<>(role, "role.create", "tenant_role", id, null, role.toJson())));
    }).recover(RoleService::nameTaken);
  }

  /** One role of the tenant. */
  Future<TenantRole> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> repo.find(controlPlane.pool(), ctx.tenantId(), id, false))
        .map(found -> found.orElseThrow(() -> new NotFound("no such role")));
  }

  /** Every role of the tenant, by name. */
  Future<List<TenantRole>> list(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> repo.list(controlPlane.pool(), ctx.tenantId()));
  }

  /** Replaces a role if {@code version} is current. */
  Future<TenantRole> update(TenantContext ctx, UUID id, int version, JsonObject body) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE).compose(v -> {
      RoleRepository.Draft draft = RoleDrafts.of(ctx, body);
      return changes.<TenantRole>apply(ctx, conn -> repo.find(conn, ctx.tenantId(), id, true).compose(found -> {
        TenantRole before = found.orElseThrow(() -> new NotFound("no such role"));
        if (before.version() != version) {
          throw new PreconditionFailed("the role has changed since you read it");
        }
        return repo.update(conn, ctx.tenantId(), id, draft).map(after -> new AccessChanges.Change<>(after,
            "role.update", "tenant_role", id, before.toJson(), after.toJson()));
      }));
    }).recover(RoleService::nameTaken);
  }

  /** Deletes a role; its members lose it on their next request. */
  Future<Void> delete(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> changes.<Void>apply(ctx, conn -> repo.find(conn, ctx.tenantId(), id, true).compose(found -> {
          TenantRole before = found.orElseThrow(() -> new NotFound("no such role"));
          return repo.delete(conn, ctx.tenantId(), id).map(d -> new AccessChanges.Change<Void>(null, "role.delete",
              "tenant_role", id, before.toJson(), null));
        })));
  }

  /** A staff member's tenant roles. */
  Future<List<TenantRole>> memberRoles(TenantContext ctx, UUID user) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> repo.staffMember(controlPlane.pool(), ctx.tenantId(), user))
        .compose(member -> member.isEmpty() ? Future.failedFuture(new NotFound("no such member"))
            : repo.memberRoles(controlPlane.pool(), ctx.tenantId(), user));
  }

  /** Replaces a staff member's tenant roles (every id must name a role of this tenant). */
  Future<List<TenantRole>> assign(TenantContext ctx, UUID user, JsonObject body) {
    List<UUID> ids = List.copyOf(new LinkedHashSet<>(body.getJsonArray("roleIds", new JsonArray()).stream()
        .map(id -> UUID.fromString((String) id)).toList()));
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> changes.<List<TenantRole>>apply(ctx, conn -> repo.staffMember(conn, ctx.tenantId(), user)
            .compose(member -> member.isEmpty() ? Future.failedFuture(new NotFound("no such member"))
                : repo.memberRoles(conn, ctx.tenantId(), user))
            .compose(before -> repo.assign(conn, ctx.tenantId(), user, ids).compose(assigned -> {
              if (assigned != ids.size()) {
                throw new NotFound("no such role");
              }
              return repo.memberRoles(conn, ctx.tenantId(), user).map(after -> {
                // Whoever assigns a role must hold what it gives beyond its base role, as whoever defined it did.
                after.stream().filter(r -> !before.contains(r)).forEach(r -> RoleDrafts.checkGrantable(ctx,
                    Set.copyOf(r.permissions()), "a role you assign"));
                return new AccessChanges.Change<>(after, "member.tenant_roles", "user", user, assignment(before),
                    assignment(after));
              });
            }))));
  }

  /** A member's tenant roles as a before/after record holds them. */
  static JsonObject assignment(List<TenantRole> roles) {
    return new JsonObject().put("tenantRoles", new JsonArray(roles.stream()
        .map(r -> new JsonObject().put("id", r.id().toString()).put("name", r.name())).toList()));
  }

  private static <T> Future<T> nameTaken(Throwable e) {
    return Future.failedFuture(ConstraintViolation.of(e, NAME_TAKEN)
        ? new Conflict("the tenant already has a role of that name") : e);
  }
}
