package io.caduceus.api.roles;

import io.caduceus.api.access.Grant;
import io.caduceus.api.access.HeldRole;
import io.caduceus.api.access.MemberAccess;
import io.caduceus.api.access.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A member's effective permissions and where each comes from: base roles, tenant roles and grants in force for the
 * given groups at the given instant; the same resolution as a request's ({@link MemberAccess#permissions}), with
 * its provenance. Grants not in force there (scoped to a group not in force) are listed apart.
 */
final class EffectivePermissions {

  private EffectivePermissions() {
  }

  /** The representation the contract calls {@code EffectivePermissions}. */
  static JsonObject of(UUID user, Collection<String> baseRoles, MemberAccess access, Instant now, Set<UUID> groups) {
    Map<String, JsonArray> sources = new TreeMap<>();
    for (String wire : baseRoles.stream().sorted().toList()) {
      Role.permissionKeys(List.of(wire)).forEach(p -> source(sources, p)
          .add(new JsonObject().put("kind", "base_role").put("role", wire)));
    }
    for (HeldRole role : access.roles()) {
      role.permissions().forEach(p -> source(sources, p).add(new JsonObject().put("kind", "tenant_role")
          .put("roleId", role.id().toString()).put("name", role.name())));
    }
    JsonArray notInForce = new JsonArray();
    for (Grant grant : access.grants()) {
      if (grant.inForce(now, groups)) {
        source(sources, grant.permission()).add(grantSource(grant));
      } else {
        notInForce.add(grant.toJson());
      }
    }
    JsonArray permissions = new JsonArray();
    sources.forEach((p, from) -> permissions.add(new JsonObject().put("permission", p).put("sources", from)));
    return new JsonObject().put("userId", user.toString())
        .put("baseRoles", new JsonArray(baseRoles.stream().sorted().toList()))
        .put("tenantRoles", new JsonArray(access.roles().stream()
            .map(r -> new JsonObject().put("id", r.id().toString()).put("name", r.name())).toList()))
        .put("permissions", permissions).put("grantsNotInForce", notInForce);
  }

  private static JsonArray source(Map<String, JsonArray> sources, String permission) {
    return sources.computeIfAbsent(permission, p -> new JsonArray());
  }

  private static JsonObject grantSource(Grant grant) {
    JsonObject json = new JsonObject().put("kind", "grant").put("grantId", grant.id().toString());
    JsonObject full = grant.toJson();
    if (full.containsKey("scope")) {
      json.put("scope", full.getJsonObject("scope"));
    }
    if (full.containsKey("expiresAt")) {
      json.put("expiresAt", full.getString("expiresAt"));
    }
    return json;
  }
}
