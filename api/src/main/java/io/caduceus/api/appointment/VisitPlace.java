package io.caduceus.api.appointment;

import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.Unprocessable;
import io.vertx.sqlclient.Row;

import java.util.UUID;

/**
 * A facility as a booking there sees it: whether it is open, whether the booked practitioner serves it, and the
 * facility and status of the room the booking names (null when it names none, or no room has that id).
 */
record VisitPlace(String facilityStatus, boolean practitionerActive, boolean served, UUID roomFacility,
                  String roomStatus) {

  static VisitPlace fromRow(Row row) {
    return new VisitPlace(row.getString("facility_status"), row.getBoolean("practitioner_active"),
        row.getBoolean("served"), row.getUUID("room_facility"), row.getString("room_status"));
  }

  /**
   * Fails unless {@code slot} may be held here: an open facility the practitioner serves, and a room of it that is
   * not retired. An unknown room answers 404 (another tenant's too); an unknown or inactive practitioner is left to
   * the booking itself, which answers 404 for them.
   */
  void admit(Slot slot) {
    if (!"active".equals(facilityStatus)) {
      throw new Unprocessable("/facilityId", "the facility is closed");
    }
    if (practitionerActive && !served) {
      throw new Unprocessable("/facilityId", "the practitioner does not serve this facility");
    }
    if (slot.roomId() == null) {
      return;
    }
    if (roomFacility == null) {
      throw new NotFound("no such room");
    }
    if (!roomFacility.equals(slot.facilityId())) {
      throw new Unprocessable("/roomId", "the room is not at this facility");
    }
    if (!"active".equals(roomStatus)) {
      throw new Unprocessable("/roomId", "the room is retired");
    }
  }
}
