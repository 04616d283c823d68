package io.caduceus.api.fhir;

import io.caduceus.api.appointment.AppointmentSearch;
import io.caduceus.api.appointment.AppointmentService;
import io.caduceus.api.appointment.AppointmentStatus;
import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.api.paging.VersionRange;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code Appointment}: a {@code /v1} appointment as {@link AppointmentService} shows it (permission
 * {@code appointment.read}, audited as {@code appointment.read} / {@code appointment.search} naming its patients),
 * with its patient and practitioner as participants, and its facility, when it names one, as a {@code Location}
 * participant ({@link LocationFhir}). The room is not shown: see {@link LocationFhir}.
 */
public final class AppointmentFhir implements FhirType {

  private static final Map<AppointmentStatus, Appointment.AppointmentStatus> STATUS = Map.of(
      AppointmentStatus.BOOKED, Appointment.AppointmentStatus.BOOKED,
      AppointmentStatus.CHECKED_IN, Appointment.AppointmentStatus.CHECKEDIN,
      AppointmentStatus.FULFILLED, Appointment.AppointmentStatus.FULFILLED,
      AppointmentStatus.CANCELLED, Appointment.AppointmentStatus.CANCELLED,
      AppointmentStatus.NO_SHOW, Appointment.AppointmentStatus.NOSHOW);

  private final AppointmentService appointments;

  public AppointmentFhir(AppointmentService appointments) {
    this.appointments = appointments;
  }

  @Override
  public String name() {
    return "Appointment";
  }

  @Override
  public Set<Interaction> interactions() {
    return EnumSet.of(Interaction.READ, Interaction.VREAD, Interaction.HISTORY, Interaction.SEARCH,
        Interaction.CREATE, Interaction.UPDATE);
  }

  @Override
  public List<SearchParameter> searchParameters() {
    return List.of(
        new SearchParameter("_id", SearchParamType.TOKEN, "The appointment's id; several separated by commas."),
        new SearchParameter("_lastUpdated", SearchParamType.DATE,
            "When the appointment last changed, with the prefixes eq, lt, le, gt, ge, sa and eb."),
        new SearchParameter("patient", SearchParamType.REFERENCE,
            "The patient (Patient/id or id); several separated by commas."),
        new SearchParameter("practitioner", SearchParamType.REFERENCE,
            "The practitioner (Practitioner/id or id); several separated by commas."),
        new SearchParameter("location", SearchParamType.REFERENCE,
            "The facility (Location/id or id); several separated by commas."),
        new SearchParameter("date", SearchParamType.DATE,
            "The start, with the prefixes eq, lt, le, gt, ge, sa and eb."),
        new SearchParameter("status", SearchParamType.TOKEN,
            "booked, checked-in, fulfilled, cancelled or noshow; several separated by commas."));
  }

  @Override
  public List<String> includes() {
    return List.of("Appointment:patient", "Appointment:practitioner", "Appointment:location");
  }

  @Override
  public List<String> sorts() {
    return List.of("date", "-date");
  }

  @Override
  public List<String> references(IBaseResource resource, String searchParameter) {
    String type = switch (searchParameter) {
      case "patient" -> "Patient/";
      case "practitioner" -> "Practitioner/";
      case "location" -> "Location/";
      default -> null;
    };
    if (type == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Appointment.AppointmentParticipantComponent p : ((Appointment) resource).getParticipant()) {
      String reference = p.getActor().getReference();
      if (reference != null && reference.startsWith(type)) {
        out.add(reference);
      }
    }
    return out;
  }

  @Override
  public Class<Appointment> resourceClass() {
    return Appointment.class;
  }

  /**
   * Books the appointment as {@code POST /v1/appointments} does (permission appointment.book, audited as
   * {@code appointment.book}): status {@code booked}, one Patient and one Practitioner participant (and one Location,
   * the facility), start, end, the description as the reason, {@code appointmentType.text = virtual} for a video
   * visit. Anything else is 422.
   */
  @Override
  public Future<Appointment> create(TenantContext ctx, IBaseResource resource) {
    return Access.check(ctx, Permission.APPOINTMENT_BOOK).compose(v -> {
      Appointment a = (Appointment) resource;
      if (a.getStatus() != Appointment.AppointmentStatus.BOOKED) {
        throw new Unprocessable("Appointment.status: a new appointment is booked");
      }
      if (a.hasCancelationReason()) {
        throw new Unprocessable("Appointment.cancelationReason: a new appointment is not cancelled");
      }
      return appointments.book(ctx, AppointmentFhirBody.of(ctx, a));
    }).map(AppointmentFhir::of);
  }

  /**
   * Applies the one change the body asks, as {@code /v1} would: a new time, practitioner, facility (the Location
   * participant; leaving it out removes it) or reason of a booked appointment is a reschedule ({@code appointment.reschedule}); a new status a step of the state machine
   * ({@code appointment.checked_in}, {@code .fulfilled}, {@code .cancelled}, {@code .no_show}), with the clock rules
   * of check-in. Both at once, another patient or modality, or a status the service has no step to answers 422; a
   * step the state machine refuses, or rescheduling an appointment that is no longer booked, 409.
   */
  @Override
  public Future<Appointment> update(TenantContext ctx, String id, int version, IBaseResource resource) {
    UUID uuid = FhirHandlers.uuid(id, "appointment");
    return appointments.get(ctx, uuid).compose(current -> {
      Appointment a = (Appointment) resource;
      JsonObject sent = AppointmentFhirBody.of(ctx, a);
      if (sent.containsKey("patientId") && !sent.getString("patientId").equals(current.patientId().toString())) {
        throw new Unprocessable("Appointment.participant: the patient of an appointment cannot change");
      }
      if (!sent.getString("modality", "in_person").equals(current.modality() == null ? "in_person"
          : current.modality())) {
        throw new Unprocessable("Appointment.appointmentType: the modality of an appointment cannot change");
      }
      if (current.version() != version) {
        throw new io.caduceus.api.error.PreconditionFailed("the appointment has changed since you read it");
      }
      AppointmentStatus next = a.getStatus() == null ? null : STATUS.entrySet().stream()
          .filter(e -> e.getValue() == a.getStatus()).map(Map.Entry::getKey).findFirst()
          .orElseThrow(() -> new Unprocessable("Appointment.status: " + a.getStatus().toCode()
              + " is not a status an appointment here can take"));
      String facility = current.facilityId() == null ? null : current.facilityId().toString();
      boolean relocated = !java.util.Objects.equals(sent.getString("facilityId"), facility);
      boolean moved = relocated || !sent.getString("practitionerId").equals(current.practitionerId().toString())
          || !java.time.Instant.parse(sent.getString("start")).equals(current.start())
          || !java.time.Instant.parse(sent.getString("end")).equals(current.end())
          || !java.util.Objects.equals(sent.getString("reason"), current.reason());
      boolean stepped = next != current.status();
      if (moved && stepped) {
        throw new Unprocessable("Appointment: change the time or the status, not both in one update");
      }
      if (moved) {
        ctx.audit().action("appointment.reschedule");
        JsonObject change = new JsonObject().put("practitionerId", sent.getString("practitionerId"))
            .put("start", sent.getString("start")).put("end", sent.getString("end"))
            .put("reason", sent.getString("reason"));
        if (relocated) {
          change.put("facilityId", sent.getString("facilityId"));
        }
        return appointments.reschedule(ctx, uuid, version, change);
      }
      if (stepped) {
        if (!current.status().canMoveTo(next)) {
          throw new io.caduceus.api.error.Conflict("an appointment cannot move from " + current.status().wire()
              + " to " + next.wire());
        }
        String reason = a.hasCancelationReason() ? a.getCancelationReason().getText() : null;
        return appointments.changeStatus(ctx, uuid, version, next.wire(), reason);
      }
      return Future.succeededFuture(current);
    }).map(AppointmentFhir::of);
  }

  @Override
  public Future<Appointment> read(TenantContext ctx, String id) {
    return appointments.get(ctx, FhirHandlers.uuid(id, "appointment")).map(AppointmentFhir::of);
  }

  @Override
  public Future<List<IBaseResource>> history(TenantContext ctx, String id, VersionRange range) {
    return appointments.versions(ctx, FhirHandlers.uuid(id, "appointment"), range)
        .map(versions -> versions.stream().<IBaseResource>map(AppointmentFhir::of).toList());
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    AppointmentSearch q = searchOf(query);
    if (query.summaryCount()) {
      return appointments.count(ctx, q).map(FhirPage::count);
    }
    return appointments.search(ctx, q, query.cursor())
        .map(page -> FhirPage.of(page.items().stream().map(AppointmentFhir::of).toList(), page.nextCursor()));
  }

  static AppointmentSearch searchOf(FhirQuery query) {
    query.modifiersOnly(Set.of());
    Optional<FhirQuery.DateRange> date = query.dateRange("date");
    Optional<FhirQuery.DateRange> updated = query.dateRange("_lastUpdated");
    List<AppointmentStatus> statuses = null;
    if (!query.all("status").isEmpty()) {
      statuses = new ArrayList<>();
      for (String code : query.anyOf("status")) {
        statuses.add(status(code));
      }
      statuses.removeIf(s -> s == null);
    }
    return new AppointmentSearch(ids(query, "_id", null), ids(query, "patient", "Patient"),
        ids(query, "practitioner", "Practitioner"), ids(query, "location", "Location"), statuses,
        date.map(r -> instant(r.from())).orElse(null), date.map(r -> instant(r.to())).orElse(null),
        updated.map(r -> instant(r.from())).orElse(null), updated.map(r -> instant(r.to())).orElse(null),
        query.sort().contains("-date"), query.count());
  }

  /** A FHIR status as the service's; a valid FHIR status no appointment here has is null (it matches nothing). */
  private static AppointmentStatus status(String code) {
    return switch (code) {
      case "booked" -> AppointmentStatus.BOOKED;
      case "checked-in" -> AppointmentStatus.CHECKED_IN;
      case "fulfilled" -> AppointmentStatus.FULFILLED;
      case "cancelled" -> AppointmentStatus.CANCELLED;
      case "noshow" -> AppointmentStatus.NO_SHOW;
      case "proposed", "pending", "arrived", "entered-in-error", "waitlist" -> null;
      default -> throw new Invalid("status", "is not an Appointment status");
    };
  }

  /**
   * The ids of a token or reference parameter (several, comma-separated), or null when absent; an id that is no
   * UUID, or a reference to another type, matches nothing.
   */
  static List<UUID> ids(FhirQuery query, String parameter, String type) {
    if (query.all(parameter).isEmpty()) {
      return null;
    }
    List<UUID> ids = new ArrayList<>();
    for (String value : query.anyOf(parameter)) {
      Optional<String> id = type == null ? Optional.of(value) : FhirQuery.referenceId(value, type);
      id.flatMap(FhirQueryIds::uuid).ifPresent(ids::add);
    }
    return ids;
  }

  private static Instant instant(java.time.OffsetDateTime at) {
    return at == null ? null : at.toInstant();
  }

  /** A {@code /v1} appointment as a FHIR Appointment. */
  static Appointment of(io.caduceus.api.appointment.Appointment a) {
    Appointment fhir = new Appointment();
    fhir.setId(a.id().toString());
    fhir.getMeta().setVersionId(String.valueOf(a.version())).setLastUpdatedElement(new InstantType(
        Date.from(a.updatedAt())));
    fhir.setStatus(STATUS.get(a.status()));
    fhir.setStart(Date.from(a.start())).setEnd(Date.from(a.end()));
    fhir.setCreated(Date.from(a.createdAt()));
    if (a.reason() != null) {
      fhir.setDescription(a.reason());
    }
    if (a.status() == AppointmentStatus.CANCELLED && a.statusReason() != null) {
      fhir.getCancelationReason().setText(a.statusReason());
    }
    if (a.virtual()) {
      fhir.getAppointmentType().setText("virtual");
    }
    fhir.addParticipant().setActor(new Reference("Patient/" + a.patientId()))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    fhir.addParticipant().setActor(new Reference("Practitioner/" + a.practitionerId()))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    if (a.facilityId() != null) {
      fhir.addParticipant().setActor(new Reference("Location/" + a.facilityId()))
          .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    }
    return fhir;
  }
}
