package io.caduceus.api.fhir;

import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.routing.TenantContext;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.r4.model.Appointment;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A FHIR Appointment as the {@code /v1} booking body {@code AppointmentService} reads: start, end, one Patient, one
 * Practitioner and at most one Location (the facility) as participants, the description as the reason and
 * {@code appointmentType.text = virtual} for a video visit; every other element answers 422 naming it.
 */
final class AppointmentFhirBody {

  private AppointmentFhirBody() {
  }

  /** The {@code /v1} booking body of a FHIR Appointment; an element an appointment cannot hold is 422. */
  static JsonObject of(TenantContext ctx, Appointment a) {
    FhirElements.onlyHeld(a, "Appointment", Set.of("id", "meta", "status", "description", "start", "end",
        "participant", "appointmentType", "created", "cancelationReason"));
    if (a.hasCancelationReason()) {
      FhirElements.onlyHeld(a.getCancelationReason(), "Appointment.cancelationReason", Set.of("text"));
    }
    if (!a.hasStart() || !a.hasEnd()) {
      throw new Invalid("Appointment.start", "start and end are required");
    }
    JsonObject body = new JsonObject().put("start", a.getStart().toInstant().toString())
        .put("end", a.getEnd().toInstant().toString());
    for (int i = 0; i < a.getParticipant().size(); i++) {
      Appointment.AppointmentParticipantComponent p = a.getParticipant().get(i);
      String path = "Appointment.participant[" + i + "]";
      FhirElements.onlyHeld(p, path, Set.of("actor", "status"));
      FhirElements.onlyHeld(p.getActor(), path + ".actor", Set.of("reference", "display"));
      String reference = p.getActor().getReference() == null ? "" : p.getActor().getReference();
      String key = reference.startsWith("Patient/") ? "patientId"
          : reference.startsWith("Practitioner/") ? "practitionerId"
          : reference.startsWith("Location/") ? "facilityId" : null;
      Optional<UUID> id = key == null ? Optional.empty()
          : FhirQueryIds.uuid(reference.substring(reference.indexOf('/') + 1));
      if (id.isEmpty() || body.containsKey(key)) {
        throw new Unprocessable(path + ".actor: one Patient, one Practitioner and one Location can be stored");
      }
      body.put(key, id.get().toString());
    }
    if (!body.containsKey("practitionerId") || (!body.containsKey("patientId") && !ctx.actsAsPatient())) {
      throw new Unprocessable("Appointment.participant: a Patient and a Practitioner are required");
    }
    if (a.hasDescription()) {
      body.put("reason", a.getDescription());
    }
    if (a.hasAppointmentType()) {
      if (!"virtual".equals(a.getAppointmentType().getText()) || a.getAppointmentType().hasCoding()) {
        throw new Unprocessable("Appointment.appointmentType: only the text virtual (a video visit) can be stored");
      }
      body.put("modality", "virtual");
    }
    return body;
  }
}
