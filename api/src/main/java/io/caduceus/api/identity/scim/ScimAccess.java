package io.caduceus.api.identity.scim;

import io.caduceus.api.auth.AuthService;
import io.caduceus.api.identity.RoleMapping;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What a SCIM user may do in the tenant, derived and kept in step: the membership is active, with exactly the roles
 * the tenant's mapping ({@link RoleMapping#rolesOfGroups}) grants to the user's groups, while the user is active and
 * some role is granted; otherwise it is removed (a member without roles has no usable membership). Every change ends
 * the member's sessions through {@link AuthService#endMember}, the path suspension and removal take, so the next
 * request of an old token answers 401 and the next login carries the new roles.
 */
final class ScimAccess {

  private final ScimRepository repository;
  private final RoleMapping mapping;
  private final AuthService auth;

  ScimAccess(ScimRepository repository, RoleMapping mapping, AuthService auth) {
    this.repository = repository;
    this.mapping = mapping;
    this.auth = auth;
  }

  /** Brings one user's membership in line with their SCIM state, in the caller's transaction; true if it changed. */
  Future<Boolean> sync(SqlClient conn, TenantId tenant, UUID userId) {
    Future<Optional<ScimUser>> user = repository.user(conn, tenant, userId, false);
    return user.compose(found -> found.isEmpty() || !found.get().active()
            ? Future.succeededFuture(List.<String>of())
            : repository.groupsOf(conn, tenant, userId).compose(groups -> mapping.rules(conn, tenant)
                .map(rules -> RoleMapping.rolesOfGroups(rules, groups.stream().map(ScimGroup.Ref::displayName)
                    .toList()))))
        .compose(roles -> repository.membership(conn, tenant, userId).compose(current -> apply(conn, tenant, userId,
            roles, current)));
  }

  /** Syncs several users; the ids whose membership changed. */
  Future<List<UUID>> syncAll(SqlClient conn, TenantId tenant, Collection<UUID> userIds) {
    Future<List<UUID>> changed = Future.succeededFuture(List.of());
    for (UUID id : userIds.stream().distinct().sorted().toList()) {
      changed = changed.compose(so -> sync(conn, tenant, id).map(c -> c
          ? Stream.concat(so.stream(), Stream.of(id)).toList() : so));
    }
    return changed;
  }

  /** Ends the sessions of members whose access changed; after the change has committed. */
  Future<Void> endSessions(TenantId tenant, Collection<UUID> userIds, String reason) {
    Future<Void> ended = Future.succeededFuture();
    for (UUID id : userIds) {
      ended = ended.compose(v -> auth.endMember(id, tenant, reason));
    }
    return ended;
  }

  /** Whether a user holds a patient account in the tenant (SCIM provisions staff only). */
  static boolean isPatient(Optional<Row> membership) {
    return membership.isPresent() && membership.get().getUUID("patient_id") != null;
  }

  private Future<Boolean> apply(SqlClient conn, TenantId tenant, UUID userId, List<String> roles,
                                Optional<Row> current) {
    if (isPatient(current)) {
      return Future.succeededFuture(false);
    }
    if (roles.isEmpty()) {
      return repository.endMembership(conn, tenant, userId);
    }
    boolean same = current.isPresent() && "active".equals(current.get().getString("status"))
        && Arrays.stream(current.get().getArrayOfStrings("roles")).sorted().toList()
        .equals(roles.stream().sorted().toList());
    return same ? Future.succeededFuture(false)
        : repository.setMembership(conn, tenant, userId, roles).map(true);
  }
}
