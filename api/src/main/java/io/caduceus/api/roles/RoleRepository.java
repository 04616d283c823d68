package io.caduceus.api.roles;

import io.caduceus.api.access.Grant;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Tenant roles, their assignments and grants in the control plane; every method takes the client to run on. */
final class RoleRepository {

  /** What a new or replaced role holds. */
  record Draft(String name, String description, String basedOn, List<String> permissions) {
  }

  Future<TenantRole> insert(SqlClient c, TenantId tenant, UUID id, Draft d) {
    return c.preparedQuery(RoleSql.INSERT_ROLE).execute(Tuple.of(tenant.value(), id, d.name(), d.description(),
        d.basedOn(), d.permissions().toArray(new String[0]))).map(rows -> Rows.optional(rows, TenantRole::fromRow)
        .orElseThrow());
  }

  Future<Optional<TenantRole>> find(SqlClient c, TenantId tenant, UUID id, boolean forUpdate) {
    return c.preparedQuery(forUpdate ? RoleSql.FIND_ROLE_FOR_UPDATE : RoleSql.FIND_ROLE)
        .execute(Tuple.of(tenant.value(), id)).map(rows -> Rows.optional(rows, TenantRole::fromRow));
  }

  Future<List<TenantRole>> list(SqlClient c, TenantId tenant) {
    return c.preparedQuery(RoleSql.LIST_ROLES).execute(Tuple.of(tenant.value()))
        .map(rows -> Rows.list(rows, TenantRole::fromRow));
  }

  Future<TenantRole> update(SqlClient c, TenantId tenant, UUID id, Draft d) {
    return c.preparedQuery(RoleSql.UPDATE_ROLE).execute(Tuple.of(tenant.value(), id, d.name(), d.description(),
        d.basedOn(), d.permissions().toArray(new String[0]))).map(rows -> Rows.optional(rows, TenantRole::fromRow)
        .orElseThrow());
  }

  Future<Void> delete(SqlClient c, TenantId tenant, UUID id) {
    return c.preparedQuery(RoleSql.DELETE_ROLE).execute(Tuple.of(tenant.value(), id)).mapEmpty();
  }

  Future<List<TenantRole>> memberRoles(SqlClient c, TenantId tenant, UUID user) {
    return c.preparedQuery(RoleSql.MEMBER_ROLES).execute(Tuple.of(tenant.value(), user))
        .map(rows -> Rows.list(rows, TenantRole::fromRow));
  }

  /** Replaces a member's tenant roles; the number of roles assigned (ids of no role of the tenant are skipped). */
  Future<Integer> assign(SqlClient c, TenantId tenant, UUID user, List<UUID> roles) {
    return c.preparedQuery(RoleSql.CLEAR_MEMBER_ROLES).execute(Tuple.of(tenant.value(), user))
        .compose(v -> c.preparedQuery(RoleSql.ASSIGN).execute(Tuple.of(tenant.value(), user,
            roles.toArray(new UUID[0]))))
        .map(rows -> rows.rowCount());
  }

  /** The base roles of an active staff membership (not a patient account), if there is one. */
  Future<Optional<List<String>>> staffMember(SqlClient c, TenantId tenant, UUID user) {
    return c.preparedQuery(RoleSql.ACTIVE_STAFF_MEMBER).execute(Tuple.of(tenant.value(), user))
        .map(rows -> Rows.optional(rows, row -> List.of(row.getArrayOfStrings("roles"))));
  }

  Future<Grant> insertGrant(SqlClient c, TenantId tenant, Grant g) {
    return c.preparedQuery(RoleSql.INSERT_GRANT).execute(Tuple.from(new Object[] {tenant.value(), g.id(), g.userId(),
        g.permission(), g.scopeKind(), g.scopeId(), g.expiresAt() == null ? null : Timestamps.utc(g.expiresAt()),
        g.grantedBy()})).map(rows -> Rows.optional(rows, Grant::fromRow).orElseThrow());
  }

  Future<Optional<Grant>> findGrant(SqlClient c, TenantId tenant, UUID user, UUID id) {
    return c.preparedQuery(RoleSql.FIND_GRANT).execute(Tuple.of(tenant.value(), user, id))
        .map(rows -> Rows.optional(rows, Grant::fromRow));
  }

  Future<List<Grant>> grants(SqlClient c, TenantId tenant, UUID user) {
    return c.preparedQuery(RoleSql.MEMBER_GRANTS).execute(Tuple.of(tenant.value(), user))
        .map(rows -> Rows.list(rows, Grant::fromRow));
  }

  Future<Optional<Grant>> revokeGrant(SqlClient c, TenantId tenant, UUID user, UUID id, UUID by) {
    return c.preparedQuery(RoleSql.REVOKE_GRANT).execute(Tuple.of(tenant.value(), user, id, by))
        .map(rows -> Rows.optional(rows, Grant::fromRow));
  }
}
