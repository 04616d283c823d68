package io.caduceus.api.prescription;

import io.vertx.sqlclient.Row;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One fill of a prescription as this tenant recorded it (the pharmacy when it dispensed, the clinic when it learned
 * of it), with what was prescribed; {@code prescriptionId} is always this tenant's own copy.
 */
public record Dispense(UUID id, UUID prescriptionId, UUID patientId, int fillNumber, String lot, BigDecimal quantity,
                       Instant dispensedAt, Medication medication, String dose, String frequency, int daysSupply) {

  /** Maps a row of {@link PrescriptionSql#DISPENSE_FIND}. */
  static Dispense fromRow(Row row) {
    return new Dispense(row.getUUID("id"), row.getUUID("prescription_id"), row.getUUID("patient_id"),
        row.getInteger("fill_number"), row.getString("lot"), row.getBigDecimal("quantity"),
        row.getOffsetDateTime("dispensed_at").toInstant(),
        new Medication(row.getString("rxnorm_code"), row.getString("drug_display"),
            List.of(row.getArrayOfStrings("ingredients"))),
        row.getString("dose"), row.getString("frequency"), row.getInteger("days_supply"));
  }
}
