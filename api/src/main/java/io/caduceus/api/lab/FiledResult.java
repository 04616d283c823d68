package io.caduceus.api.lab;

import io.vertx.sqlclient.Row;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** One stored lab result read on its own (as FHIR reads it), with the order it answers. */
public record FiledResult(UUID id, UUID orderId, UUID patientId, UUID encounterId, String code, String display,
                          BigDecimal value, String valueText, String unit, BigDecimal low, BigDecimal high,
                          String rangeText, String flag, Instant resultedAt) {

  /** Maps a row of {@link LabResultSql}. */
  static FiledResult fromRow(Row row) {
    return new FiledResult(row.getUUID("id"), row.getUUID("order_id"), row.getUUID("patient_id"),
        row.getUUID("encounter_id"), row.getString("code"), row.getString("display"),
        row.getBigDecimal("value_numeric"), row.getString("value_text"), row.getString("unit"),
        row.getBigDecimal("reference_low"), row.getBigDecimal("reference_high"), row.getString("reference_text"),
        row.getString("abnormal_flag"), row.getOffsetDateTime("resulted_at").toInstant());
  }
}
