package io.caduceus.api.prescription;

import io.caduceus.api.exchange.ExchangedCopy;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * One tenant's copy of an e-prescription: {@code outgoing} at the clinic that wrote it, {@code incoming} at the
 * pharmacy that fills it, each naming the other tenant and the other copy. The fills ({@code dispenses}) are loaded
 * with one prescription; {@code interactionReview} holds the pharmacist's acknowledgements.
 */
public record Prescription(UUID id, String direction, TenantId counterpartTenant, UUID counterpartId, UUID linkId,
                           UUID patientId, UUID encounterId, UUID prescriberUserId, String prescriberName,
                           String prescriberNpi, Medication medication, String dose, String frequency,
                           BigDecimal quantity, int refills, int daysSupply, String note, PrescriptionStatus status,
                           int fills, Instant lastFilledAt, JsonObject interactionReview, Instant createdAt,
                           Instant updatedAt, int version, JsonArray dispenses) implements ExchangedCopy {

  /** Maps a row of {@link PrescriptionSql#COLUMNS}, with {@code dispenses} when the query loaded them. */
  static Prescription fromRow(Row row) {
    return new Prescription(row.getUUID("id"), row.getString("direction"),
        new TenantId(row.getUUID("counterpart_tenant_id")), row.getUUID("counterpart_prescription_id"),
        row.getUUID("link_id"), row.getUUID("patient_id"), row.getUUID("encounter_id"),
        row.getUUID("prescriber_user_id"), row.getString("prescriber_name"), row.getString("prescriber_npi"),
        new Medication(row.getString("rxnorm_code"), row.getString("drug_display"),
            List.of(row.getArrayOfStrings("ingredients"))),
        row.getString("dose"), row.getString("frequency"), row.getBigDecimal("quantity"), row.getInteger("refills"),
        row.getInteger("days_supply"), row.getString("note"), PrescriptionStatus.fromWire(row.getString("status")),
        row.getInteger("fills"), instant(row.getOffsetDateTime("last_filled_at")),
        (JsonObject) row.getJson("interaction_review"), row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("updated_at").toInstant(), row.getInteger("version"),
        row.getColumnIndex("dispenses") >= 0 ? (JsonArray) row.getJson("dispenses") : null);
  }

  private static Instant instant(OffsetDateTime at) {
    return at == null ? null : at.toInstant();
  }

  /** How many fills the prescription allows in all: the first and the refills. */
  public int fillsAllowed() {
    return refills + 1;
  }

  /** The refills not yet used (the first fill is not a refill). */
  public int refillsRemaining() {
    return Math.max(0, Math.min(refills, fillsAllowed() - fills));
  }

  /** The contract's {@code Prescription}; a patient does not see the pharmacist's interaction review. */
  public JsonObject toJson(TenantContext ctx) {
    JsonObject json = json(status.wire())
        .put("prescriber", new JsonObject().put("name", prescriberName).put("npi", prescriberNpi))
        .put("medication", medication.toJson())
        .put("dose", dose).put("frequency", frequency).put("quantity", quantity)
        .put("refills", refills).put("daysSupply", daysSupply).put("note", note)
        .put("fills", fills).put("refillsRemaining", refillsRemaining())
        .put("lastFilledAt", lastFilledAt == null ? null : lastFilledAt.toString())
        .put("version", version)
        .put("createdAt", createdAt.toString())
        .put("updatedAt", updatedAt.toString());
    if (dispenses != null) {
      json.put("dispenses", dispenses);
    }
    if (interactionReview != null && !ctx.actsAsPatient()) {
      json.put("interactionReview", interactionReview);
    }
    return json;
  }

  /**
   * What the pharmacy receives: the prescription, who wrote it and the patient's identification and contact (to
   * tell them about pickup), never anything else of the clinic's chart.
   */
  JsonObject order(JsonObject patient) {
    return new JsonObject().put("prescriptionId", id.toString()).put("patient", patient)
        .put("medication", medication.toJson()).put("dose", dose).put("frequency", frequency)
        .put("quantity", quantity).put("refills", refills).put("daysSupply", daysSupply).put("note", note)
        .put("prescriber", new JsonObject().put("name", prescriberName).put("npi", prescriberNpi));
  }
}
