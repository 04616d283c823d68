package io.caduceus.api.appointment;

import java.time.Instant;
import java.util.UUID;

/** The filters of an appointment listing; a facility and a room are optional, like the others. */
public record AppointmentQuery(UUID practitionerId, UUID patientId, AppointmentStatus status, Instant from, Instant to,
                               UUID facilityId, UUID roomId, int limit) {

  /** The filters as cursor-binding text. */
  String fingerprint() {
    return practitionerId + "|" + patientId + "|" + status + "|" + from + "|" + to + "|" + facilityId + "|" + roomId;
  }
}
