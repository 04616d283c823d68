package io.caduceus.notifications.engage;

import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@link Recipients} over the tests' {@code test_recipient} table, read in the tenant's transaction like the API's. */
final class TableRecipients implements Recipients {

  @Override
  public Future<Map<UUID, Recipient>> find(SqlConnection conn, TenantContext tenant, RecipientKind kind,
                                           Collection<UUID> ids) {
    return conn.preparedQuery("SELECT * FROM test_recipient WHERE kind = $1 AND id = ANY($2)")
        .execute(Tuple.of(kind.wire(), (Object) ids.toArray(UUID[]::new))).map(rows -> {
          Map<UUID, Recipient> found = new HashMap<>();
          rows.forEach(r -> found.put(r.getUUID("id"), new Recipient(kind, r.getUUID("id"), r.getString("given_name"),
              r.getString("phone"), r.getString("email"), r.getString("locale"), null)));
          return found;
        });
  }

  @Override
  public Future<List<UUID>> patientsByPhone(SqlConnection conn, TenantContext tenant, String e164) {
    return conn.preparedQuery("SELECT id FROM test_recipient WHERE phone = $1").execute(Tuple.of(e164)).map(rows -> {
      List<UUID> ids = new ArrayList<>();
      rows.forEach(r -> ids.add(r.getUUID("id")));
      return ids;
    });
  }

  @Override
  public Future<String> tenantName(TenantContext tenant) {
    return Future.succeededFuture("Riverside Clinic");
  }
}
