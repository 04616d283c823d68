package io.caduceus.api.telehealth.video;

import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Sql;

import java.util.UUID;

/**
 * Virtual-visit sessions for the video tests, written straight into the region as the telehealth service would
 * (that service is another part's): one per booked appointment, its room named {@code visit-<session id>}.
 */
final class VideoSessions {

  private VideoSessions() {
  }

  /** A scheduled session of a new appointment of {@code patientId} with the clinic's practitioner; its id. */
  static UUID scheduled(Clinic clinic, String patientId) {
    UUID appointment = UUID.fromString(clinic.appointment(patientId).getString("id"));
    UUID session = UUID.randomUUID();
    Sql.update(clinic.platform.superuser(clinic.tenant.region()), "INSERT INTO telehealth_session (tenant_id, id,"
            + " appointment_id, patient_id, practitioner_id, max_participants, room_name) VALUES (?, ?, ?, ?, ?, 2, ?)",
        clinic.tenant.id().value(), session, appointment, UUID.fromString(patientId),
        UUID.fromString(clinic.practitionerId), "visit-" + session);
    return session;
  }
}
