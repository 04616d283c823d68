package io.caduceus.api.identity;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.access.Role;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.api.error.Unprocessable;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A tenant admin's mapping from its IdP's claims and groups to staff roles ({@link RoleMapping}): single sign-on
 * applies it at every login, SCIM to group members. Only staff roles: a rule naming platform_owner or patient, or
 * no role at all, is refused with 422.
 */
public final class RoleMappingService {

  private static final Set<Role> NOT_MAPPABLE = Set.of(Role.PLATFORM_OWNER, Role.PATIENT);

  private final ControlPlane controlPlane;
  private final RoleMapping mapping = new RoleMapping();
  private final MappedMembers members;

  public RoleMappingService(ControlPlane controlPlane, MappedMembers members) {
    this.controlPlane = controlPlane;
    this.members = members;
  }

  /** The active tenant's rules. */
  public Future<JsonObject> get(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> mapping.rules(controlPlane.pool(), ctx.tenantId()))
        .map(RoleMappingService::json);
  }

  /**
   * Replaces the active tenant's rules: logins from now on map with them, and members provisioned by SCIM hold, from
   * this commit, the roles the new rules grant their groups (those whose access changed have their sessions ended).
   */
  public Future<JsonObject> replace(TenantContext ctx, JsonObject body) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .map(v -> rules(body.getJsonArray("rules")))
        .compose(rules -> controlPlane.inTransaction(conn -> mapping.replace(conn, ctx.tenantId(), rules)
            .compose(v -> members.remap(conn, ctx.tenantId()))))
        .compose(changed -> members.ended(ctx.tenantId(), changed, "role mapping changed"))
        .compose(v -> mapping.rules(controlPlane.pool(), ctx.tenantId()))
        .map(RoleMappingService::json);
  }

  private static List<RoleMapping.Rule> rules(JsonArray listed) {
    Set<RoleMapping.Rule> rules = new LinkedHashSet<>();
    for (int i = 0; i < listed.size(); i++) {
      JsonObject rule = listed.getJsonObject(i);
      String role = rule.getString("role");
      if (!staff(role)) {
        throw new Unprocessable("rule " + i + " names a role that is not a staff role; only staff roles can be mapped");
      }
      rules.add(new RoleMapping.Rule(rule.getString("claim", RoleMapping.GROUPS), rule.getString("value"), role));
    }
    return List.copyOf(rules);
  }

  private static boolean staff(String wire) {
    try {
      return !NOT_MAPPABLE.contains(Role.fromWire(wire));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static JsonObject json(List<RoleMapping.Rule> rules) {
    JsonArray items = new JsonArray();
    rules.forEach(r -> items.add(new JsonObject().put("claim", r.claim()).put("value", r.value())
        .put("role", r.role())));
    return new JsonObject().put("rules", items);
  }
}
