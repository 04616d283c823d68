package io.caduceus.api.appointment;

import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Who is booked with whom, when, how (in person or virtual) and where (a facility and a room there, both optional):
 * a booking request after its rules are applied. The end is null until {@link SchedulingRules#applied} gives a
 * booking (or a move of its start) that names none its default length.
 */
record Slot(UUID patientId, UUID practitionerId, Instant start, Instant end, String reason, String modality,
            UUID facilityId, UUID roomId) {

  private static final Duration LONGEST = Duration.ofHours(12);

  /**
   * Reads a validated {@code AppointmentCreate}. A patient books for themself (naming someone else answers 404,
   * as for any record they cannot see); staff must name the patient.
   */
  static Slot booking(TenantContext ctx, JsonObject body) {
    UUID named = uuid(body, "patientId");
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
        Requests.instant("/start", body.getString("start")), end(body),
        body.getString("reason"), body.getString("modality", "in_person"), uuid(body, "facilityId"),
        uuid(body, "roomId"));
  }

  /** This slot lasting {@code length} from its start (a booking that named no end). */
  Slot lasting(Duration length) {
    return checked(patientId, practitionerId, start, start.plus(length), reason, modality, facilityId, roomId);
  }

  /** This slot held at {@code facility}, in no particular room. */
  Slot at(UUID facility) {
    return new Slot(patientId, practitionerId, start, end, reason, modality, facility, null);
  }

  /**
   * This slot moved as a validated {@code AppointmentUpdate} asks. A facility sent replaces the visit's (null
   * removes it); a room sent replaces its room, and a visit moved to another facility leaves its room behind. A new
   * start without an end leaves the end open, for the default length.
   */
  Slot movedBy(JsonObject body) {
    UUID facility = body.containsKey("facilityId") ? uuid(body, "facilityId") : facilityId;
    UUID room = body.containsKey("roomId") ? uuid(body, "roomId")
        : Objects.equals(facility, facilityId) ? roomId : null;
    return checked(patientId,
        body.getString("practitionerId") == null ? practitionerId : UUID.fromString(body.getString("practitionerId")),
        body.getString("start") == null ? start : Requests.instant("/start", body.getString("start")),
        body.getString("end") != null ? end(body) : body.getString("start") == null ? end : null,
        body.containsKey("reason") ? body.getString("reason") : reason, modality, facility, room);
  }

  static Slot of(Appointment a) {
    return new Slot(a.patientId(), a.practitionerId(), a.start(), a.end(), a.reason(), a.modality(), a.facilityId(),
        a.roomId());
  }

  /** Whether the visit is held in person (so a tenant with facilities must say where). */
  boolean inPerson() {
    return !Appointment.VIRTUAL.equals(modality);
  }

  /** Whether this slot is at another place than {@code other}: another facility, room or practitioner. */
  boolean movesPlace(Slot other) {
    return !Objects.equals(facilityId, other.facilityId) || !Objects.equals(roomId, other.roomId)
        || !practitionerId.equals(other.practitionerId);
  }

  private static Slot checked(UUID patient, UUID practitioner, Instant start, Instant end, String reason,
                              String modality, UUID facility, UUID room) {
    if (end != null && !end.isAfter(start)) {
      throw new Invalid("/end", "must be after start");
    }
    if (end != null && Duration.between(start, end).compareTo(LONGEST) > 0) {
      throw new Invalid("/end", "an appointment lasts at most 12 hours");
    }
    if (room != null && facility == null) {
      throw new Invalid("/facilityId", "is required with a room");
    }
    if (room != null && Appointment.VIRTUAL.equals(modality)) {
      throw new Invalid("/roomId", "a virtual visit takes no room");
    }
    return new Slot(patient, practitioner, start, end, reason, modality, facility, room);
  }

  /** The end a body names; null when it names none (the scheduling configuration's default length applies). */
  private static Instant end(JsonObject body) {
    String end = body.getString("end");
    return end == null ? null : Requests.instant("/end", end);
  }

  private static UUID uuid(JsonObject body, String field) {
    String value = body.getString(field);
    return value == null ? null : UUID.fromString(value);
  }
}
