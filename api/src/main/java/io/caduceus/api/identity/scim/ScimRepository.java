package io.caduceus.api.identity.scim;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** SCIM's users, groups and memberships in the control plane; methods run on the client they are given. */
final class ScimRepository {

  /** One page of a listing and the number of all matches. */
  record Page<T>(List<T> items, long total) {
  }

  Future<Optional<ScimUser>> user(SqlClient client, TenantId tenant, UUID id, boolean lock) {
    return client.preparedQuery(lock ? ScimSql.USER_FOR_UPDATE : ScimSql.USER).execute(Tuple.of(tenant.value(), id))
        .map(rows -> Rows.optional(rows, ScimUser::fromRow));
  }

  Future<Page<ScimUser>> users(SqlClient client, TenantId tenant, Optional<ScimFilter> filter, int offset, int count) {
    String attribute = filter.map(ScimFilter::attribute).orElse("");
    if (attribute.equals("id")) {
      UUID id = uuidOrNull(filter.get().value());
      return id == null ? Future.succeededFuture(new Page<>(List.of(), 0)) : user(client, tenant, id, false)
          .map(found -> new Page<>(offset > 0 || count == 0 ? List.of() : found.stream().toList(),
              found.isPresent() ? 1 : 0));
    }
    String list = switch (attribute) {
      case "username" -> ScimSql.USERS_BY_NAME;
      case "externalid" -> ScimSql.USERS_BY_EXTERNAL;
      default -> ScimSql.USERS_ALL;
    };
    String total = switch (attribute) {
      case "username" -> ScimSql.USERS_COUNT_BY_NAME;
      case "externalid" -> ScimSql.USERS_COUNT_BY_EXTERNAL;
      default -> ScimSql.USERS_COUNT_ALL;
    };
    return page(client, list, total, tenant, filter, offset, count, ScimUser::fromRow);
  }

  Future<Page<ScimGroup>> groups(SqlClient client, TenantId tenant, Optional<ScimFilter> filter, int offset,
                                 int count) {
    String attribute = filter.map(ScimFilter::attribute).orElse("");
    if (attribute.equals("id")) {
      UUID id = uuidOrNull(filter.get().value());
      return id == null ? Future.succeededFuture(new Page<>(List.of(), 0)) : group(client, tenant, id, false)
          .map(found -> new Page<>(offset > 0 || count == 0 ? List.of() : found.stream().toList(),
              found.isPresent() ? 1 : 0));
    }
    String list = switch (attribute) {
      case "displayname" -> ScimSql.GROUPS_BY_NAME;
      case "externalid" -> ScimSql.GROUPS_BY_EXTERNAL;
      default -> ScimSql.GROUPS_ALL;
    };
    String total = switch (attribute) {
      case "displayname" -> ScimSql.GROUPS_COUNT_BY_NAME;
      case "externalid" -> ScimSql.GROUPS_COUNT_BY_EXTERNAL;
      default -> ScimSql.GROUPS_COUNT_ALL;
    };
    return page(client, list, total, tenant, filter, offset, count, ScimGroup::fromRow);
  }

  private static <T> Future<Page<T>> page(SqlClient client, String list, String total, TenantId tenant,
                                          Optional<ScimFilter> filter, int offset, int count,
                                          Function<Row, T> mapper) {
    Tuple listArgs = Tuple.of(tenant.value(), offset, count);
    Tuple totalArgs = Tuple.of(tenant.value());
    filter.ifPresent(f -> {
      listArgs.addString(f.value());
      totalArgs.addString(f.value());
    });
    Future<List<T>> items = count == 0 ? Future.succeededFuture(List.of())
        : client.preparedQuery(list).execute(listArgs).map(rows -> Rows.list(rows, mapper));
    return items.compose(found -> client.preparedQuery(total).execute(totalArgs)
        .map(rows -> new Page<>(found, rows.iterator().next().getLong(0))));
  }

  Future<Optional<UUID>> userNamed(SqlClient client, TenantId tenant, String userName) {
    return client.preparedQuery(ScimSql.USER_NAME_TAKEN).execute(Tuple.of(tenant.value(), userName))
        .map(rows -> Rows.optional(rows, row -> row.getUUID(0)));
  }

  Future<Optional<UUID>> appUserByEmail(SqlClient client, String email) {
    return client.preparedQuery(ScimSql.APP_USER_BY_EMAIL).execute(Tuple.of(email))
        .map(rows -> Rows.optional(rows, row -> row.getUUID(0)));
  }

  Future<Void> insertUser(SqlClient client, TenantId tenant, UUID id, ScimUserDraft draft) {
    return client.preparedQuery(ScimSql.USER_INSERT).execute(Tuple.of(tenant.value(), id, draft.userName(),
        draft.externalId(), draft.active(), draft.attributes())).mapEmpty();
  }

  Future<Void> updateUser(SqlClient client, TenantId tenant, UUID id, ScimUserDraft draft) {
    return client.preparedQuery(ScimSql.USER_UPDATE).execute(Tuple.of(tenant.value(), id, draft.userName(),
        draft.externalId(), draft.active(), draft.attributes())).mapEmpty();
  }

  Future<Boolean> deleteUser(SqlClient client, TenantId tenant, UUID id) {
    return client.preparedQuery(ScimSql.USER_DELETE).execute(Tuple.of(tenant.value(), id))
        .map(rows -> rows.rowCount() > 0);
  }

  /** Every user SCIM provisioned in the tenant. */
  Future<List<UUID>> userIds(SqlClient client, TenantId tenant) {
    return client.preparedQuery(ScimSql.USER_IDS).execute(Tuple.of(tenant.value()))
        .map(rows -> Rows.list(rows, row -> row.getUUID("user_id")));
  }

  Future<List<ScimGroup.Ref>> groupsOf(SqlClient client, TenantId tenant, UUID userId) {
    return client.preparedQuery(ScimSql.USER_GROUPS).execute(Tuple.of(tenant.value(), userId))
        .map(rows -> Rows.list(rows, ScimGroup.Ref::fromRow));
  }

  /** Which of these ids are SCIM users of the tenant. */
  Future<Set<UUID>> existingUsers(SqlClient client, TenantId tenant, Collection<UUID> ids) {
    return client.preparedQuery(ScimSql.EXISTING_USERS).execute(Tuple.tuple().addUUID(tenant.value()).addArrayOfUUID(ids.toArray(UUID[]::new)))
        .map(rows -> Rows.list(rows, row -> row.getUUID(0)).stream().collect(Collectors.toSet()));
  }

  Future<Optional<ScimGroup>> group(SqlClient client, TenantId tenant, UUID id, boolean lock) {
    return client.preparedQuery(lock ? ScimSql.GROUP_FOR_UPDATE : ScimSql.GROUP).execute(Tuple.of(tenant.value(), id))
        .map(rows -> Rows.optional(rows, ScimGroup::fromRow));
  }

  Future<Optional<UUID>> groupNamed(SqlClient client, TenantId tenant, String displayName) {
    return client.preparedQuery(ScimSql.GROUP_NAME_TAKEN).execute(Tuple.of(tenant.value(), displayName))
        .map(rows -> Rows.optional(rows, row -> row.getUUID(0)));
  }

  Future<Void> insertGroup(SqlClient client, TenantId tenant, UUID id, String displayName, String externalId) {
    return client.preparedQuery(ScimSql.GROUP_INSERT).execute(Tuple.of(id, tenant.value(), displayName, externalId))
        .mapEmpty();
  }

  Future<Void> updateGroup(SqlClient client, TenantId tenant, UUID id, String displayName, String externalId) {
    return client.preparedQuery(ScimSql.GROUP_UPDATE).execute(Tuple.of(tenant.value(), id, displayName, externalId))
        .mapEmpty();
  }

  Future<Boolean> deleteGroup(SqlClient client, TenantId tenant, UUID id) {
    return client.preparedQuery(ScimSql.GROUP_DELETE).execute(Tuple.of(tenant.value(), id))
        .map(rows -> rows.rowCount() > 0);
  }

  Future<List<ScimGroup.Member>> members(SqlClient client, TenantId tenant, UUID groupId) {
    return client.preparedQuery(ScimSql.GROUP_MEMBERS).execute(Tuple.of(tenant.value(), groupId))
        .map(rows -> Rows.list(rows, ScimGroup.Member::fromRow));
  }

  /** Replaces a group's members. */
  Future<Void> setMembers(SqlClient client, TenantId tenant, UUID groupId, Collection<UUID> userIds) {
    Future<RowSet<Row>> cleared = client.preparedQuery(ScimSql.GROUP_MEMBERS_CLEAR)
        .execute(Tuple.of(tenant.value(), groupId));
    if (userIds.isEmpty()) {
      return cleared.mapEmpty();
    }
    List<Tuple> rows = new ArrayList<>();
    userIds.forEach(u -> rows.add(Tuple.of(tenant.value(), groupId, u)));
    return cleared.compose(v -> client.preparedQuery(ScimSql.GROUP_MEMBER_ADD).executeBatch(rows)).mapEmpty();
  }

  /** The member's membership row (locked): roles, patient id and status; empty when they never joined. */
  Future<Optional<Row>> membership(SqlClient client, TenantId tenant, UUID userId) {
    return client.preparedQuery(ScimSql.MEMBERSHIP).execute(Tuple.of(tenant.value(), userId))
        .map(rows -> rows.iterator().hasNext() ? Optional.of(rows.iterator().next()) : Optional.empty());
  }

  Future<Void> setMembership(SqlClient client, TenantId tenant, UUID userId, List<String> roles) {
    return client.preparedQuery(ScimSql.MEMBERSHIP_SET)
        .execute(Tuple.tuple().addUUID(tenant.value()).addUUID(userId).addArrayOfString(roles.toArray(String[]::new)))
        .mapEmpty();
  }

  Future<Boolean> endMembership(SqlClient client, TenantId tenant, UUID userId) {
    return client.preparedQuery(ScimSql.MEMBERSHIP_END).execute(Tuple.of(tenant.value(), userId))
        .map(rows -> rows.rowCount() > 0);
  }

  private static UUID uuidOrNull(String text) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
