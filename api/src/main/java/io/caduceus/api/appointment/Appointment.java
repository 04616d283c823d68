package io.caduceus.api.appointment;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/**
 * A booked slot of a patient with a practitioner, in person or virtual; a virtual visit has its telehealth session
 * ({@code sessionId}, null for a visit in person). A visit may name the facility it is held at and a room there
 * (both null for a tenant without facilities).
 */
public record Appointment(UUID id, UUID patientId, UUID practitionerId, Instant start, Instant end,
                          AppointmentStatus status, String reason, String statusReason, int version,
                          Instant createdAt, Instant updatedAt, String modality, UUID sessionId, UUID facilityId,
                          UUID roomId) {

  /** The modality of a visit over video. */
  public static final String VIRTUAL = "virtual";

  /** Maps a row of {@link AppointmentSql#COLUMNS}. */
  public static Appointment fromRow(Row row) {
    return new Appointment(row.getUUID("id"), row.getUUID("patient_id"), row.getUUID("practitioner_id"),
        row.getOffsetDateTime("starts_at").toInstant(), row.getOffsetDateTime("ends_at").toInstant(),
        AppointmentStatus.fromWire(row.getString("status")), row.getString("reason"), row.getString("status_reason"),
        row.getInteger("version"), row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("updated_at").toInstant(), row.getString("modality"), row.getUUID("session_id"),
        row.getUUID("facility_id"), row.getUUID("room_id"));
  }

  /** Whether the visit is held over video. */
  public boolean virtual() {
    return VIRTUAL.equals(modality);
  }

  /** The same appointment with its telehealth session. */
  public Appointment withSession(UUID session) {
    return new Appointment(id, patientId, practitionerId, start, end, status, reason, statusReason, version,
        createdAt, updatedAt, modality, session, facilityId, roomId);
  }

  /** The contract's {@code Appointment}. */
  public JsonObject toJson() {
    return located(new JsonObject()
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
        .put("updatedAt", updatedAt.toString())
        .put("modality", modality)
        .put("sessionId", sessionId == null ? null : sessionId.toString()));
  }

  /** What a notification about this appointment carries: ids and times, never the reason. */
  public JsonObject eventPayload() {
    return located(new JsonObject()
        .put("appointmentId", id.toString())
        .put("patientId", patientId.toString())
        .put("practitionerId", practitionerId.toString())
        .put("start", start.toString())
        .put("end", end.toString())
        .put("status", status.wire())
        .put("modality", modality)
        .put("sessionId", sessionId == null ? null : sessionId.toString()));
  }

  /** {@code json} with the visit's facility and room, each only when it has one. */
  private JsonObject located(JsonObject json) {
    if (facilityId != null) {
      json.put("facilityId", facilityId.toString());
    }
    if (roomId != null) {
      json.put("roomId", roomId.toString());
    }
    return json;
  }
}
