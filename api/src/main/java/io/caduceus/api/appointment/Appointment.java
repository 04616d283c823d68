package io.caduceus.api.appointment;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/** A booked slot of a patient with a practitioner. */
public record Appointment(UUID id, UUID patientId, UUID practitionerId, Instant start, Instant end,
                          AppointmentStatus status, String reason, String statusReason, int version,
                          Instant createdAt, Instant updatedAt) {

  /** Maps a row of {@link AppointmentSql#COLUMNS}. */
  public static Appointment fromRow(Row row) {
    return new Appointment(row.getUUID("id"), row.getUUID("patient_id"), row.getUUID("practitioner_id"),
        row.getOffsetDateTime("starts_at").toInstant(), row.getOffsetDateTime("ends_at").toInstant(),
        AppointmentStatus.fromWire(row.getString("status")), row.getString("reason"), row.getString("status_reason"),
        row.getInteger("version"), row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("updated_at").toInstant());
  }

  /** The contract's {@code Appointment}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("patientId", patientId.toString())
        .put("practitionerId", practitionerId.toString())
        .put("start", start.toString())
        .put("end", end.toString())
        .put("status", status.wire())
        .put("reason", reason)
        .put("statusReason", statusReason)
        .put("version", version)
        .put("createdAt", createdAt.toString())
        .put("updatedAt", updatedAt.toString());
  }

  /** What a notification about this appointment carries: ids and times, never the reason. */
  public JsonObject eventPayload() {
    return new JsonObject()
        .put("appointmentId", id.toString())
        .put("patientId", patientId.toString())
        .put("practitionerId", practitionerId.toString())
        .put("start", start.toString())
        .put("end", end.toString())
        .put("status", status.wire());
  }
}
