package io.caduceus.api.exchange;

import io.caduceus.api.error.NotFound;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.util.UUID;

/**
 * The patient part of an exchanged item: only what the receiver needs to identify the patient (name, birth date,
 * sex, and contact only where the receiver must reach the patient). The receiver keeps one record per patient
 * of each sending tenant, found again by the sender's id; it never merges records across senders on demographics
 * alone.
 */
public final class ExchangedPatients {

  private ExchangedPatients() {
  }

  /** The sender's minimum document for one of its patients. */
  public static Future<JsonObject> document(SqlConnection conn, UUID patientId, boolean withContact) {
    return conn.preparedQuery(ExchangeSql.PATIENT).execute(Tuple.of(patientId)).map(rows -> {
      if (rows.size() == 0) {
        throw new NotFound("no such patient");
      }
      Row row = rows.iterator().next();
      JsonObject doc = new JsonObject().put("id", patientId.toString())
          .put("name", new JsonObject().put("family", row.getString("family_name"))
              .put("given", row.getString("given_name")))
          .put("sex", row.getString("sex"));
      if (row.getLocalDate("birth_date") != null) {
        doc.put("birthDate", row.getLocalDate("birth_date").toString());
      }
      JsonObject contact = row.getJsonObject("contact");
      if (withContact && contact != null) {
        doc.put("contact", new JsonObject().put("phone", contact.getString("phone"))
            .put("email", contact.getString("email")));
      }
      return doc;
    });
  }

  /** The receiver's record of the patient in {@code document}, created on first sight and kept current. */
  public static Future<UUID> resolve(SqlConnection conn, TenantContext receiver, TenantId source, JsonObject document) {
    UUID sourceId = UUID.fromString(document.getString("id"));
    JsonObject name = document.getJsonObject("name");
    LocalDate birthDate = document.getString("birthDate") == null ? null : LocalDate.parse(document.getString("birthDate"));
    JsonObject contact = document.getJsonObject("contact");
    return conn.preparedQuery(ExchangeSql.BY_SOURCE)
        .execute(Tuple.of(receiver.tenantId().value(), source.value(), sourceId))
        .compose(rows -> {
          if (rows.size() > 0) {
            UUID id = rows.iterator().next().getUUID("id");
            return conn.preparedQuery(ExchangeSql.REFRESH).execute(Tuple.from(new Object[] {id, name.getString("family"),
                name.getString("given"), birthDate, document.getString("sex"), contact, receiver.userId()})).map(id);
          }
          UUID id = UuidV7.next();
          return conn.preparedQuery(ExchangeSql.CREATE).execute(Tuple.from(new Object[] {receiver.tenantId().value(), id,
              "EXT-" + id, name.getString("family"), name.getString("given"), birthDate, document.getString("sex"),
              contact, receiver.userId(), source.value(), sourceId})).map(id);
        });
  }
}
