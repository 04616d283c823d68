package io.caduceus.api.billing;

import io.caduceus.routing.keys.TenantKeys;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A member's coverage as the insurer keeps it; the member id stays sealed until a view opens it. */
record Coverage(UUID id, UUID patientId, String patientName, byte[] memberIdSealed, String plan, String status,
                LocalDate periodStart, LocalDate periodEnd, int version, Instant createdAt, Instant updatedAt) {

  static Coverage fromRow(Row row) {
    return new Coverage(row.getUUID("id"), row.getUUID("patient_id"), row.getString("patient_name"),
        row.getBuffer("member_id_sealed").getBytes(), row.getString("plan"), row.getString("status"),
        row.getLocalDate("period_start"), row.getLocalDate("period_end"), row.getInteger("version"),
        row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
  }

  /** Whether this coverage is active and its period includes {@code day}. */
  boolean covers(LocalDate day) {
    return "active".equals(status) && !day.isBefore(periodStart) && (periodEnd == null || !day.isAfter(periodEnd));
  }

  /** The contract's {@code Coverage}, with the member id opened under the tenant's keys. */
  JsonObject toJson(TenantKeys keys) {
    return new JsonObject().put("id", id.toString()).put("patientId", patientId.toString())
        .put("patientName", patientName)
        .put("memberId", keys.open(MemberIds.coverageBinding(id), memberIdSealed))
        .put("plan", plan).put("status", status).put("periodStart", periodStart.toString())
        .put("periodEnd", periodEnd == null ? null : periodEnd.toString()).put("version", version)
        .put("createdAt", createdAt.toString()).put("updatedAt", updatedAt.toString());
  }
}
