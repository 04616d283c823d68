package io.caduceus.api.encounter;

import io.vertx.sqlclient.Row;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One entry of an encounter read on its own: a vital sign (a blood pressure with its diastolic value alongside the
 * systolic one), a diagnosis or a procedure, and its encounter's state and version (an entry is changed as part of
 * its encounter, under the encounter's version, as on {@code /v1}).
 */
public record ChartEntry(UUID id, UUID encounterId, UUID patientId, String code, String display, BigDecimal value,
                         String unit, UUID diastolicId, BigDecimal diastolic, String diastolicUnit, Integer quantity,
                         UUID recordedBy, Instant recordedAt, EncounterStatus encounterStatus, int encounterVersion) {

  /** Maps a row of {@link ChartEntrySql}. */
  static ChartEntry fromRow(Row row) {
    return new ChartEntry(row.getUUID("id"), row.getUUID("encounter_id"), row.getUUID("patient_id"),
        row.getString("code"), row.getString("display"), row.getBigDecimal("value"), row.getString("unit"),
        row.getUUID("diastolic_id"), row.getBigDecimal("diastolic"), row.getString("diastolic_unit"),
        row.getInteger("quantity"), row.getUUID("recorded_by"), row.getOffsetDateTime("recorded_at").toInstant(),
        EncounterStatus.fromWire(row.getString("encounter_status")), row.getInteger("encounter_version"));
  }
}
