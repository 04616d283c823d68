package io.caduceus.api.engagement;

import io.caduceus.api.sql.Rows;
import io.caduceus.notifications.crm.CareRule;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/** The live patients engagement writes to, on the connection {@code TenantDb} opened for the tenant. */
final class EngagementPatientRepository {

  /** Whether a live patient has this id. */
  Future<Boolean> exists(SqlConnection conn, UUID patient) {
    return conn.preparedQuery(EngagementPatientSql.EXISTS).execute(Tuple.of(patient)).map(rows -> rows.size() == 1);
  }

  /** The live patient's given and family name, as a message signs it; empty if there is no such patient. */
  Future<Optional<String>> name(SqlConnection conn, UUID patient) {
    return conn.preparedQuery(EngagementPatientSql.NAME).execute(Tuple.of(patient))
        .map(rows -> Rows.optional(rows, row -> row.getString("given_name") + " " + row.getString("family_name")));
  }

  /** The patients the care rule finds at {@code now}. */
  Future<List<UUID>> dueForCare(SqlConnection conn, CareRule rule, Instant now) {
    return conn.preparedQuery(EngagementPatientSql.CARE_DUE)
        .execute(Tuple.of(rule.diagnosisPrefix(), rule.loincCode(), rule.intervalMonths(), utc(now)))
        .map(rows -> Rows.list(rows, row -> row.getUUID("patient_id")));
  }
}
