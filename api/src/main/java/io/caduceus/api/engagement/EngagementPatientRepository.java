package io.caduceus.api.engagement;

import io.caduceus.api.sql.Rows;
import io.caduceus.notifications.crm.CareRule;
import io.caduceus.notifications.engage.Recipient;
import io.caduceus.notifications.engage.RecipientKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/** The patients engagement writes to, read from the patient record on the connection {@code TenantDb} opened. */
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

  /** The live patients among {@code ids} as recipients, by id. */
  Future<Map<UUID, Recipient>> recipients(SqlConnection conn, UUID[] ids) {
    return conn.preparedQuery(EngagementPatientSql.RECIPIENTS).execute(Tuple.of((Object) ids)).map(rows -> {
      Map<UUID, Recipient> found = new HashMap<>();
      rows.forEach(row -> found.put(row.getUUID("id"), recipient(row)));
      return found;
    });
  }

  /** The live patients whose phone is {@code e164}. */
  Future<List<UUID>> byPhone(SqlConnection conn, String e164) {
    return conn.preparedQuery(EngagementPatientSql.BY_PHONE).execute(Tuple.of(e164))
        .map(rows -> Rows.list(rows, row -> row.getUUID("id")));
  }

  /** The patients of a campaign's segment, given as its seven parameters ({@link Segments#parameters}). */
  Future<List<UUID>> inSegment(SqlConnection conn, List<Object> parameters) {
    return conn.preparedQuery(EngagementPatientSql.SEGMENT).execute(Tuple.from(parameters))
        .map(rows -> Rows.list(rows, row -> row.getUUID("id")));
  }

  private static Recipient recipient(Row row) {
    JsonObject contact = row.getJsonObject("contact") == null ? new JsonObject() : row.getJsonObject("contact");
    return new Recipient(RecipientKind.PATIENT, row.getUUID("id"), row.getString("given_name"),
        contact.getString("phone"), contact.getString("email"), row.getString("preferred_language"), null);
  }
}
