package io.caduceus.api.appointment;

import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Who is booked with whom, when, and how (in person or virtual): a booking request after its rules are applied. */
record Slot(UUID patientId, UUID practitionerId, Instant start, Instant end, String reason, String modality) {

  private static final Duration LONGEST = Duration.ofHours(12);

  /**
   * Reads a validated {@code AppointmentCreate}. A patient books for themself (naming someone else answers 404,
   * as for any record they cannot see); staff must name the patient.
   */
  static Slot booking(TenantContext ctx, JsonObject body) {
    UUID named = body.getString("patientId") == null ? null : UUID.fromString(body.getString("patientId"));
    UUID patient;
    if (ctx.actsAsPatient()) {
      patient = ctx.patientId().get();
      if (named != null && !named.equals(patient)) {
        throw new NotFound("no such patient");
      }
    } else if (named == null) {
      throw new Invalid("/patientId", "required when staff book an appointment");
    } else {
      patient = named;
    }
    return checked(patient, UUID.fromString(body.getString("practitionerId")),
        Requests.instant("/start", body.getString("start")), Requests.instant("/end", body.getString("end")),
        body.getString("reason"), body.getString("modality", "in_person"));
  }

  /** This slot moved as a validated {@code AppointmentUpdate} asks. */
  Slot movedBy(JsonObject body) {
    return checked(patientId,
        body.getString("practitionerId") == null ? practitionerId : UUID.fromString(body.getString("practitionerId")),
        body.getString("start") == null ? start : Requests.instant("/start", body.getString("start")),
        body.getString("end") == null ? end : Requests.instant("/end", body.getString("end")),
        body.containsKey("reason") ? body.getString("reason") : reason, modality);
  }

  static Slot of(Appointment a) {
    return new Slot(a.patientId(), a.practitionerId(), a.start(), a.end(), a.reason(), a.modality());
  }

  private static Slot checked(UUID patient, UUID practitioner, Instant start, Instant end, String reason,
                              String modality) {
    if (!end.isAfter(start)) {
      throw new Invalid("/end", "must be after start");
    }
    if (Duration.between(start, end).compareTo(LONGEST) > 0) {
      throw new Invalid("/end", "an appointment lasts at most 12 hours");
    }
    return new Slot(patient, practitioner, start, end, reason, modality);
  }
}
