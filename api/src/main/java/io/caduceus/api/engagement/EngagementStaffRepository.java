package io.caduceus.api.engagement;

import io.caduceus.api.sql.Rows;
import io.caduceus.notifications.engage.Recipient;
import io.caduceus.notifications.engage.RecipientKind;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The clinic's practitioners as engagement names them, on the connection {@code TenantDb} opened for the tenant. */
final class EngagementStaffRepository {

  /** The staff members among {@code userIds} who have a practitioner profile, as recipients, by user id. */
  Future<Map<UUID, Recipient>> profiles(SqlConnection conn, UUID[] userIds) {
    return conn.preparedQuery(EngagementStaffSql.PROFILES).execute(Tuple.of((Object) userIds)).map(rows -> {
      Map<UUID, Recipient> found = new HashMap<>();
      rows.forEach(row -> found.put(row.getUUID("user_id"), new Recipient(RecipientKind.STAFF,
          row.getUUID("user_id"), row.getString("given_name"), null, row.getString("email"), null, null)));
      return found;
    });
  }

  /** The practitioner's name as a message shows it; empty if there is no such practitioner. */
  Future<Optional<String>> name(SqlConnection conn, UUID practitioner) {
    return conn.preparedQuery(EngagementStaffSql.NAME).execute(Tuple.of(practitioner))
        .map(rows -> Rows.optional(rows, EngagementStaffRepository::name));
  }

  /** A practitioner's name from a row's {@code given_name} (which may be missing) and {@code family_name}. */
  static String name(Row row) {
    return (row.getString("given_name") == null ? "" : row.getString("given_name") + " ")
        + row.getString("family_name");
  }
}
