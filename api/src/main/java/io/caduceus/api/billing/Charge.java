package io.caduceus.api.billing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One line the clinic bills: a procedure of a signed encounter, priced from the fee schedule when generated, with
 * the CMS place of service and CPT modifiers of the visit (a telehealth visit: 10 or 02, and 95).
 */
record Charge(UUID id, UUID encounterId, UUID patientId, UUID procedureId, String cptCode, String display,
              int quantity, long unitCents, long amountCents, String currency, UUID claimId, Instant createdAt,
              String placeOfService, List<String> modifiers) {

  static Charge fromRow(Row row) {
    String[] modifiers = row.getArrayOfStrings("modifiers");
    return new Charge(row.getUUID("id"), row.getUUID("encounter_id"), row.getUUID("patient_id"),
        row.getUUID("procedure_id"), row.getString("cpt_code"), row.getString("display"), row.getInteger("quantity"),
        row.getLong("unit_cents"), row.getLong("amount_cents"), row.getString("currency"), row.getUUID("claim_id"),
        row.getOffsetDateTime("created_at").toInstant(), row.getString("place_of_service"),
        modifiers == null ? List.of() : List.of(modifiers));
  }

  /** The contract's {@code Charge}. */
  JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("encounterId", encounterId.toString())
        .put("patientId", patientId.toString()).put("procedureId", procedureId.toString()).put("cptCode", cptCode)
        .put("display", display).put("quantity", quantity).put("unitCents", unitCents)
        .put("amountCents", amountCents).put("currency", currency)
        .put("claimId", claimId == null ? null : claimId.toString()).put("placeOfService", placeOfService)
        .put("modifiers", new JsonArray(modifiers)).put("createdAt", createdAt.toString());
  }

  /** The line as a claim carries it. */
  JsonObject claimLine() {
    return new JsonObject().put("chargeId", id.toString()).put("cptCode", cptCode).put("display", display)
        .put("quantity", quantity).put("unitCents", unitCents).put("amountCents", amountCents)
        .put("placeOfService", placeOfService).put("modifiers", new JsonArray(modifiers));
  }
}
