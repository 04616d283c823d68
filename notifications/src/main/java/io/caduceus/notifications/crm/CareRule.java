package io.caduceus.notifications.crm;

import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/** A preventive-care rule: patients with a diagnosis under the prefix and no such lab result within the interval. */
public record CareRule(UUID id, String name, String diagnosisPrefix, String loincCode, int intervalMonths,
                       Instant createdAt) {

  static final String COLUMNS = "id, name, diagnosis_prefix, loinc_code, interval_months, created_at";

  static CareRule fromRow(Row row) {
    return new CareRule(row.getUUID("id"), row.getString("name"), row.getString("diagnosis_prefix"),
        row.getString("loinc_code"), row.getInteger("interval_months"),
        row.getOffsetDateTime("created_at").toInstant());
  }
}
