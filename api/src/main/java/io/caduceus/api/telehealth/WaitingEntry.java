package io.caduceus.api.telehealth;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.routing.TenantContext;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/** A patient in a waiting room: who, since when, for which appointment and slot, with which clinician. */
record WaitingEntry(UUID sessionId, UUID appointmentId, UUID patientId, UUID practitionerId, String patientGiven,
                    String patientFamily, String practitionerName, Instant waitingSince, Instant slotStart,
                    String patientLocation, String reason) {

  static WaitingEntry fromRow(Row row) {
    return new WaitingEntry(row.getUUID("id"), row.getUUID("appointment_id"), row.getUUID("patient_id"),
        row.getUUID("practitioner_id"), row.getString("patient_given"), row.getString("patient_family"),
        TelehealthSession.name(row.getString("clinician_given"), row.getString("clinician_family")),
        row.getOffsetDateTime("checked_in_at").toInstant(), row.getOffsetDateTime("starts_at").toInstant(),
        row.getString("patient_location"), row.getString("reason"));
  }

  /**
   * The contract's {@code WaitingRoomEntry}, projected like a patient list: the name for whoever may read patients
   * (the front desk, clinicians), the visit's reason only for those who read clinical data.
   */
  JsonObject toJson(TenantContext ctx) {
    JsonObject json = new JsonObject()
        .put("sessionId", sessionId.toString())
        .put("appointmentId", appointmentId.toString())
        .put("patientId", patientId.toString())
        .put("practitionerId", practitionerId.toString())
        .put("practitionerName", practitionerName)
        .put("waitingSince", waitingSince.toString())
        .put("slotStart", slotStart.toString())
        .put("patientLocation", patientLocation);
    if (Access.has(ctx, Permission.PATIENT_READ)) {
      json.put("patientName", new JsonObject().put("family", patientFamily).put("given", patientGiven));
    }
    if (Access.has(ctx, Permission.PATIENT_CLINICAL_READ)) {
      json.put("reason", reason);
    }
    return json;
  }
}
