package io.caduceus.api.telehealth;

import io.caduceus.api.telehealth.video.VideoRoom;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A virtual visit's session as one actor sees it: its state, its slot, the clinician of the visit, and the
 * {@link Viewer} (the actor's own practitioner profile, if any, and whether the tenant lets colleagues admit), so
 * the rules of a transition are decided from one read.
 */
record TelehealthSession(UUID id, UUID appointmentId, UUID patientId, UUID practitionerId, SessionStatus status,
                         String patientLocation, int maxParticipants, String roomName, String videoProvider,
                         String roomSid, Instant checkedInAt, Instant admittedAt, UUID admittedBy, Instant endedAt,
                         int version, Instant updatedAt, Instant slotStart, Instant slotEnd, int checkInLeadMinutes,
                         UUID clinicianUserId, String clinicianName, String patientName, UUID encounterId,
                         int guestCount, Viewer viewer) {

  /**
   * The acting user's active practitioner profile in the tenant (null: none), a tenant rule it may need, and
   * whether the actor is a staff guest of the session (invited, not revoked).
   */
  record Viewer(UUID practitionerId, String name, boolean colleaguesMayAdmit, boolean staffGuest) {
  }

  static TelehealthSession fromRow(Row row) {
    return new TelehealthSession(row.getUUID("id"), row.getUUID("appointment_id"), row.getUUID("patient_id"),
        row.getUUID("practitioner_id"), SessionStatus.fromWire(row.getString("status")),
        row.getString("patient_location"), row.getInteger("max_participants"), row.getString("room_name"),
        row.getString("video_provider"), row.getString("room_sid"), instant(row, "checked_in_at"),
        instant(row, "admitted_at"), row.getUUID("admitted_by"), instant(row, "ended_at"), row.getInteger("version"),
        instant(row, "updated_at"), instant(row, "starts_at"), instant(row, "ends_at"),
        row.getInteger("check_in_lead_minutes"), row.getUUID("clinician_user_id"),
        name(row.getString("clinician_given"), row.getString("clinician_family")),
        name(row.getString("patient_given"), row.getString("patient_family")), row.getUUID("encounter_id"),
        row.getInteger("guest_count"),
        new Viewer(row.getUUID("viewer_practitioner_id"),
            name(row.getString("viewer_given"), row.getString("viewer_family")),
            row.getBoolean("colleagues_may_admit"), row.getBoolean("viewer_is_guest")));
  }

  /** When the patient may check in: the tenant's lead time before the slot. */
  Instant checkInOpensAt() {
    return slotStart.minus(Duration.ofMinutes(checkInLeadMinutes));
  }

  /** The video room, once a clinician has admitted the patient. */
  VideoRoom room() {
    return new VideoRoom(videoProvider, roomSid, roomName);
  }

  /** Whether {@code userId} is the visit's clinician or the colleague who admitted the patient. */
  boolean isClinicianSide(UUID userId) {
    return userId.equals(clinicianUserId) || userId.equals(admittedBy);
  }

  /**
   * Who takes a seat in the video room: the patient, the clinician of the visit, the colleague who admitted the
   * patient ({@code admitter}, if not the visit's clinician) and the guests.
   */
  int occupants(UUID admitter) {
    return 2 + (admitter != null && !admitter.equals(clinicianUserId) ? 1 : 0) + guestCount;
  }

  /** Whether the actor may invite and revoke guests: whoever may admit, or has admitted, the patient. */
  boolean mayHostGuests(UUID userId) {
    return isClinicianSide(userId) || viewer.practitionerId() != null
        && (viewer.practitionerId().equals(practitionerId) || viewer.colleaguesMayAdmit());
  }

  /** The contract's {@code TelehealthSession}: ids, states and times, never the visit's reason. */
  JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("appointmentId", appointmentId.toString())
        .put("patientId", patientId.toString())
        .put("practitionerId", practitionerId.toString())
        .put("status", status.wire())
        .put("patientLocation", patientLocation)
        .put("maxParticipants", maxParticipants)
        .put("roomName", roomName)
        .put("videoProvider", videoProvider)
        .put("slotStart", slotStart.toString())
        .put("slotEnd", slotEnd.toString())
        .put("checkInOpensAt", checkInOpensAt().toString())
        .put("checkedInAt", text(checkedInAt))
        .put("admittedAt", text(admittedAt))
        .put("admittedBy", admittedBy == null ? null : admittedBy.toString())
        .put("endedAt", text(endedAt))
        .put("durationSeconds", admittedAt == null || endedAt == null ? null
            : Duration.between(admittedAt, endedAt).toSeconds())
        .put("encounterId", encounterId == null ? null : encounterId.toString())
        .put("guestCount", guestCount)
        .put("version", version)
        .put("updatedAt", updatedAt.toString());
  }

  static String name(String given, String family) {
    if (family == null) {
      return null;
    }
    return given == null || given.isBlank() ? family : given + " " + family;
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime at = row.getOffsetDateTime(column);
    return at == null ? null : at.toInstant();
  }

  private static String text(Instant at) {
    return at == null ? null : at.toString();
  }
}
