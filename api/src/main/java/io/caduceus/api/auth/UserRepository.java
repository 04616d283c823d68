package io.caduceus.api.auth;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.Timestamps;
import io.caduceus.routing.catalog.Membership;
import io.caduceus.routing.catalog.Memberships;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Users and memberships in the control plane. Methods taking a client run on the caller's transaction. */
public final class UserRepository {

  private final ControlPlane controlPlane;
  private final Memberships memberships;

  public UserRepository(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.memberships = new Memberships(controlPlane);
  }

  /** The user with this email (case-insensitive). */
  public Future<Optional<User>> byEmail(String email) {
    return controlPlane.pool().preparedQuery(UserSql.BY_EMAIL).execute(Tuple.of(email))
        .map(rows -> Rows.optional(rows, User::fromRow));
  }

  /** The user with this id. */
  public Future<Optional<User>> byId(UUID id) {
    return controlPlane.pool().preparedQuery(UserSql.BY_ID).execute(Tuple.of(id))
        .map(rows -> Rows.optional(rows, User::fromRow));
  }

  /** The display names of these users, by id (users that no longer exist are absent). */
  public Future<Map<UUID, String>> displayNames(Collection<UUID> ids) {
    return controlPlane.pool().preparedQuery(UserSql.DISPLAY_NAMES).execute(Tuple.of(ids.toArray(new UUID[0])))
        .map(rows -> {
          Map<UUID, String> names = new HashMap<>();
          rows.forEach(row -> names.put(row.getUUID("id"), row.getString("display_name")));
          return names;
        });
  }

  /** Creates a user. */
  public Future<Void> insert(SqlClient client, UUID id, String email, String displayName, String passwordHash) {
    return client.preparedQuery(UserSql.INSERT).execute(Tuple.of(id, email, displayName, passwordHash)).mapEmpty();
  }

  /** Records a successful login. */
  public Future<Void> touchLogin(UUID id) {
    return controlPlane.pool().preparedQuery(UserSql.TOUCH_LOGIN).execute(Tuple.of(id)).mapEmpty();
  }

  /** Every membership of the user, oldest first. */
  public Future<List<Membership>> memberships(UUID userId) {
    return memberships.ofUser(userId);
  }

  /** The user's membership in one tenant. */
  public Future<Optional<Membership>> membership(UUID userId, TenantId tenant) {
    return memberships.inTenant(userId, tenant);
  }

  /** Adds (or re-activates) a membership. */
  public Future<Void> join(SqlClient client, UUID userId, TenantId tenant, List<String> roles, UUID patientId) {
    return client.preparedQuery(UserSql.JOIN)
        .execute(Tuple.of(tenant.value(), userId, roles.toArray(new String[0]), patientId)).mapEmpty();
  }

  /** One page of a tenant's members, after the given position. */
  public Future<List<TenantMember>> members(TenantId tenant, Instant afterJoined, UUID afterUser, int limit) {
    Tuple args = Tuple.of(tenant.value(), afterJoined == null ? null : Timestamps.utc(afterJoined),
        afterUser, limit);
    return controlPlane.pool().preparedQuery(UserSql.MEMBERS).execute(args)
        .map(rows -> Rows.list(rows, TenantMember::fromRow));
  }

  /** The ids of a tenant's active members who hold {@code role} (at most 100). */
  public Future<List<UUID>> holders(TenantId tenant, String role) {
    return controlPlane.pool().preparedQuery(UserSql.HOLDERS).execute(Tuple.of(tenant.value(), role))
        .map(rows -> Rows.list(rows, row -> row.getUUID("user_id")));
  }

  /** One member of a tenant. */
  public Future<Optional<TenantMember>> member(TenantId tenant, UUID userId) {
    return controlPlane.pool().preparedQuery(UserSql.MEMBER).execute(Tuple.of(tenant.value(), userId))
        .map(rows -> Rows.optional(rows, TenantMember::fromRow));
  }

  /** Replaces an active member's roles; false when there is no such active member. */
  public Future<Boolean> setRoles(SqlClient client, TenantId tenant, UUID userId, List<String> roles) {
    return client.preparedQuery(UserSql.SET_ROLES)
        .execute(Tuple.of(tenant.value(), userId, roles.toArray(new String[0])))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Removes an active member; false when there is no such active member. */
  public Future<Boolean> remove(SqlClient client, TenantId tenant, UUID userId) {
    return client.preparedQuery(UserSql.REMOVE).execute(Tuple.of(tenant.value(), userId))
        .map(rows -> rows.rowCount() == 1);
  }
}
