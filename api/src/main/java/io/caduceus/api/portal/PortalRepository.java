package io.caduceus.api.portal;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import static io.caduceus.routing.Timestamps.utc;

/**
 * The portal's reads of one tenant, on a connection {@code TenantDb} opened under the patient's own scope; each
 * section's items in the contract's shape ({@link PortalRows}).
 */
final class PortalRepository {

  /** The patient's name, if their record is live. */
  Future<Optional<JsonObject>> name(SqlConnection conn, UUID patient) {
    return conn.preparedQuery(PortalSql.PATIENT).execute(Tuple.of(patient))
        .map(rows -> Rows.optional(rows, row -> new JsonObject().put("family", row.getString("family_name"))
            .put("given", row.getString("given_name"))));
  }

  Future<List<JsonObject>> appointments(SqlConnection conn, UUID patient) {
    return items(conn, PortalSql.APPOINTMENTS, patient, PortalRows::appointment);
  }

  Future<List<JsonObject>> visits(SqlConnection conn, UUID patient) {
    return items(conn, PortalSql.VISITS, patient, PortalRows::visit);
  }

  /** The patient's lab orders, with the results entered at least {@code delayHours} ago. */
  Future<List<JsonObject>> results(SqlConnection conn, UUID patient, int delayHours) {
    return conn.preparedQuery(PortalSql.RESULTS).execute(Tuple.of(patient, delayHours))
        .map(rows -> Rows.list(rows, PortalRows::result));
  }

  Future<List<JsonObject>> medications(SqlConnection conn, UUID patient) {
    return items(conn, PortalSql.MEDICATIONS, patient, PortalRows::medication);
  }

  Future<List<JsonObject>> bills(SqlConnection conn, UUID patient) {
    return items(conn, PortalSql.BILLS, patient, PortalRows::bill);
  }

  /**
   * Up to {@code limit} accesses to the patient's record in {@code scope}'s tenant by anyone but its user, newest
   * first, before ({@code afterAt}, {@code afterId}).
   */
  Future<List<RecordAccess>> accesses(SqlConnection conn, TenantContext scope, UUID patient, Instant afterAt,
                                      UUID afterId, int limit) {
    return conn.preparedQuery(PortalSql.ACCESSES).execute(Tuple.of(scope.tenantId().value(), patient, utc(afterAt),
            afterId, limit, scope.userId()))
        .map(rows -> Rows.list(rows, RecordAccess::fromRow));
  }

  private static Future<List<JsonObject>> items(SqlConnection conn, String sql, UUID patient,
                                                Function<Row, JsonObject> item) {
    return conn.preparedQuery(sql).execute(Tuple.of(patient)).map(rows -> Rows.list(rows, item));
  }
}
