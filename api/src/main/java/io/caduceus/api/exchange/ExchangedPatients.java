package io.caduceus.api.exchange;

import io.caduceus.api.error.NotFound;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.time.LocalDate;
import java.util.UUID;

/**
 * The patient part of an exchanged item: only what the receiver needs to identify the patient (name, birth date,
 * sex, and contact only where the receiver must reach the patient). The receiver keeps one record per patient
 * of each sending tenant, found again by the sender's id; it never merges records across senders on demographics
 * alone.
 */
public final class ExchangedPatients {

  private static final ExchangeRepository PATIENTS = new ExchangeRepository();

  private ExchangedPatients() {
  }

  /** The sender's minimum document for one of its patients. */
  public static Future<JsonObject> document(SqlConnection conn, UUID patientId, boolean withContact) {
    return PATIENTS.patient(conn, patientId).map(found -> {
      ExchangeRepository.Demographics p = found.orElseThrow(() -> new NotFound("no such patient"));
      JsonObject doc = new JsonObject().put("id", patientId.toString())
          .put("name", new JsonObject().put("family", p.familyName()).put("given", p.givenName()))
          .put("sex", p.sex());
      if (p.birthDate() != null) {
        doc.put("birthDate", p.birthDate().toString());
      }
      if (withContact && p.contact() != null) {
        doc.put("contact", new JsonObject().put("phone", p.contact().getString("phone"))
            .put("email", p.contact().getString("email")));
      }
      return doc;
    });
  }

  /** The receiver's record of the patient in {@code document}, created on first sight and kept current. */
  public static Future<UUID> resolve(SqlConnection conn, TenantContext receiver, TenantId source, JsonObject document) {
    UUID sourceId = UUID.fromString(document.getString("id"));
    JsonObject name = document.getJsonObject("name");
    String birthDate = document.getString("birthDate");
    ExchangeRepository.Demographics sent = new ExchangeRepository.Demographics(name.getString("family"),
        name.getString("given"), birthDate == null ? null : LocalDate.parse(birthDate), document.getString("sex"),
        document.getJsonObject("contact"));
    return PATIENTS.bySource(conn, receiver.tenantId(), source, sourceId).compose(found -> {
      if (found.isPresent()) {
        return PATIENTS.refresh(conn, receiver, found.get(), sent).map(found.get());
      }
      UUID id = UuidV7.next();
      return PATIENTS.create(conn, receiver, id, source, sourceId, sent).map(id);
    });
  }
}
