package io.caduceus.api.appointment;

import java.time.Instant;
import java.util.UUID;

/** The filters of an appointment listing. */
public record AppointmentQuery(UUID practitionerId, UUID patientId, AppointmentStatus status, Instant from, Instant to,
                               int limit) {

  /** The filters as cursor-binding text. */
  String fingerprint() {
    return practitionerId + "|" + patientId + "|" + status + "|" + from + "|" + to;
  }
}
