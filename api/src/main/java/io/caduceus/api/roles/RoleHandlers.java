package io.caduceus.api.roles;

import io.caduceus.api.access.Grant;
import io.caduceus.api.access.MemberAccesses;
import io.caduceus.api.auth.Revocations;
import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.api.organisation.GroupsInForce;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.UUID;

/** Tenant roles, their assignment, grants, the permission catalogue and effective permissions (issue 15). */
public final class RoleHandlers {

  private final RoleService roles;
  private final GrantService grants;
  private final PermissionService permissions;

  public RoleHandlers(ControlPlane controlPlane, Revocations revocations, MemberAccesses accesses,
                      GroupsInForce groupsInForce) {
    RoleRepository repo = new RoleRepository();
    AccessChanges changes = new AccessChanges(controlPlane, revocations);
    this.roles = new RoleService(controlPlane, repo, changes);
    this.grants = new GrantService(controlPlane, repo, changes);
    this.permissions = new PermissionService(controlPlane, repo, accesses, groupsInForce);
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("listPermissions", rc -> permissions.catalogue(Requests.tenant(rc)).map(Reply::ok));
    ops.bind("getMyPermissions", rc -> permissions.own(Requests.tenant(rc)).map(Reply::ok));
    ops.bind("getMemberPermissions", rc -> permissions.member(Requests.tenant(rc), user(rc)).map(Reply::ok));
    ops.bind("createTenantRole", this::createRole);
    ops.bind("listTenantRoles", rc -> roles.list(Requests.tenant(rc)).map(RoleHandlers::roleList));
    ops.bind("getTenantRole", rc -> roles.get(Requests.tenant(rc), role(rc))
        .map(r -> Reply.ok(r.toJson(), r.version())));
    ops.bind("updateTenantRole", rc -> {
      int version = ETags.required(rc);
      return roles.update(Requests.tenant(rc), role(rc), version, Requests.body(rc))
          .map(r -> Reply.ok(r.toJson(), r.version()));
    });
    ops.bind("deleteTenantRole", rc -> roles.delete(Requests.tenant(rc), role(rc)).map(v -> Reply.noContent()));
    ops.bind("getMemberTenantRoles", rc -> roles.memberRoles(Requests.tenant(rc), user(rc))
        .map(RoleHandlers::roleList));
    ops.bind("setMemberTenantRoles", rc -> roles.assign(Requests.tenant(rc), user(rc), Requests.body(rc))
        .map(RoleHandlers::roleList));
    ops.bind("createGrant", this::createGrant);
    ops.bind("listGrants", rc -> grants.list(Requests.tenant(rc), user(rc))
        .map(list -> Reply.items(list.stream().map(Grant::toJson).toList())));
    ops.bind("getGrant", rc -> grants.get(Requests.tenant(rc), user(rc), grant(rc)).map(g -> Reply.ok(g.toJson())));
    ops.bind("revokeGrant", rc -> grants.revoke(Requests.tenant(rc), user(rc), grant(rc))
        .map(v -> Reply.noContent()));
  }

  private Future<Reply> createRole(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    return roles.create(ctx, Requests.body(rc)).map(r -> Reply.created(
        "/v1/tenants/" + ctx.tenantId() + "/roles/" + r.id(), r.toJson(), r.version()));
  }

  private Future<Reply> createGrant(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    UUID user = user(rc);
    return grants.grant(ctx, user, Requests.body(rc)).map(g -> Reply.created(
        "/v1/tenants/" + ctx.tenantId() + "/users/" + user + "/grants/" + g.id(), g.toJson()));
  }

  private static Reply roleList(List<TenantRole> list) {
    return Reply.items(list.stream().map(TenantRole::toJson).toList());
  }

  private static UUID user(RoutingContext rc) {
    return Requests.pathUuid(rc, "userId");
  }

  private static UUID role(RoutingContext rc) {
    return Requests.pathUuid(rc, "roleId");
  }

  private static UUID grant(RoutingContext rc) {
    return Requests.pathUuid(rc, "grantId");
  }
}
