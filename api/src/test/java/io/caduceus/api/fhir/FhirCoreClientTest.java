package io.caduceus.api.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.routing.IsolationTier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HAPI's generic client against the running server: read, search with paging, _include/_revinclude, create and
 * update; and the isolation of all of them between tenants (every tier), and the receptionist's projection.
 */
class FhirCoreClientTest extends ClinicFixture {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private IGenericClient client(Clinic c, TestPlatform.TestUser user) {
    FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    IGenericClient client = FHIR.newRestfulGenericClient("http://127.0.0.1:" + platform.app().port() + "/fhir/r4");
    client.registerInterceptor(new BearerTokenAuthInterceptor(c.token(user)));
    return client;
  }

  private static void valid(Resource resource) {
    FhirValidation.assertValid(FHIR.newJsonParser().encodeResourceToString(resource));
  }

  private static List<String> ids(Bundle bundle, Bundle.SearchEntryMode mode) {
    List<String> ids = new ArrayList<>();
    for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
      if (e.getSearch().getMode() == mode) {
        ids.add(e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart());
      }
    }
    return ids;
  }

  @Test
  void theGenericClientCreatesReadsUpdatesAndPagesPatients() {
    IGenericClient desk = client(clinic, clinic.desk);
    Patient sent = new Patient();
    sent.addName().setFamily("Hapiclient").addGiven("Maria");
    sent.setGender(Enumerations.AdministrativeGender.FEMALE);
    sent.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1980-02-03"));
    MethodOutcome created = desk.create().resource(sent).execute();
    String id = created.getId().getIdPart();
    assertThat(created.getId().getVersionIdPart()).isEqualTo("1");

    Patient read = desk.read().resource(Patient.class).withId(id).execute();
    valid(read);
    assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Hapiclient");
    assertThat(read.getIdentifierFirstRep().getSystem()).isEqualTo(FhirSystems.MRN);

    read.setGender(Enumerations.AdministrativeGender.OTHER);
    MethodOutcome updated = desk.update().resource(read).execute();
    assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");
    Patient stale = read.copy();
    stale.setIdElement(new IdType("Patient", id, "1"));
    assertThatThrownBy(() -> desk.update().resource(stale).execute()).isInstanceOf(PreconditionFailedException.class);

    for (int i = 0; i < 4; i++) {
      desk.create().resource(new Patient().addName(new org.hl7.fhir.r4.model.HumanName().setFamily("Hapiclient"
          + i))).execute();
    }
    Bundle page = desk.search().forResource(Patient.class).where(Patient.FAMILY.matches().value("hapiclient"))
        .count(2).returnBundle(Bundle.class).execute();
    List<String> seen = new ArrayList<>(ids(page, Bundle.SearchEntryMode.MATCH));
    int pages = 1;
    while (page.getLink(Bundle.LINK_NEXT) != null) {
      valid(page);
      page = desk.loadPage().next(page).execute();
      seen.addAll(ids(page, Bundle.SearchEntryMode.MATCH));
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(5).doesNotHaveDuplicates().contains("Patient/" + id);
  }

  @Test
  void includesAndRevincludesFollowReferencesWithinTheTenant() {
    String maria = clinic.patient("Includa", "Maria").getString("id");
    String ana = clinic.patient("Includa", "Ana").getString("id");
    String first = clinic.appointment(maria).getString("id");
    String second = clinic.appointment(maria).getString("id");
    String third = clinic.appointment(ana).getString("id");
    IGenericClient desk = client(clinic, clinic.desk);

    Bundle withPatients = desk.search().forResource(Appointment.class)
        .where(Appointment.PATIENT.hasAnyOfIds(maria, ana)).include(Appointment.INCLUDE_PATIENT)
        .include(Appointment.INCLUDE_PRACTITIONER).returnBundle(Bundle.class).execute();
    valid(withPatients);
    assertThat(ids(withPatients, Bundle.SearchEntryMode.MATCH)).containsExactlyInAnyOrder("Appointment/" + first,
        "Appointment/" + second, "Appointment/" + third);
    assertThat(ids(withPatients, Bundle.SearchEntryMode.INCLUDE)).containsExactlyInAnyOrder("Patient/" + maria,
        "Patient/" + ana, "Practitioner/" + clinic.practitionerId);

    Bundle withAppointments = desk.search().forResource(Patient.class).where(Patient.FAMILY.matches().value("includa"))
        .revInclude(Appointment.INCLUDE_PATIENT).returnBundle(Bundle.class).execute();
    valid(withAppointments);
    assertThat(ids(withAppointments, Bundle.SearchEntryMode.INCLUDE)).containsExactlyInAnyOrder(
        "Appointment/" + first, "Appointment/" + second, "Appointment/" + third);

    Bundle byDate = desk.search().forResource(Appointment.class).where(Appointment.PATIENT.hasId(maria))
        .sort().descending(Appointment.DATE).returnBundle(Bundle.class).execute();
    assertThat(ids(byDate, Bundle.SearchEntryMode.MATCH)).containsExactly("Appointment/" + second,
        "Appointment/" + first);
    Bundle booked = desk.search().forResource(Appointment.class).where(Appointment.PATIENT.hasId(ana))
        .and(Appointment.STATUS.exactly().code("booked")).and(Appointment.DATE.afterOrEquals().day("2000-01-01"))
        .returnBundle(Bundle.class).execute();
    assertThat(ids(booked, Bundle.SearchEntryMode.MATCH)).containsExactly("Appointment/" + third);

    Appointment appointment = desk.read().resource(Appointment.class).withId(first).execute();
    valid(appointment);
    Practitioner practitioner = desk.read().resource(Practitioner.class).withId(clinic.practitionerId).execute();
    valid(practitioner);
    Bundle practitioners = desk.search().forResource(Practitioner.class)
        .where(Practitioner.NAME.matches().value("doct")).returnBundle(Bundle.class).execute();
    assertThat(ids(practitioners, Bundle.SearchEntryMode.MATCH)).containsExactly("Practitioner/" + clinic.practitionerId);

    for (String refused : List.of("/fhir/r4/Appointment?_sort=_lastUpdated", "/fhir/r4/Appointment?_include=Appointment:room",
        "/fhir/r4/Practitioner?_revinclude=Appointment:practitioner", "/fhir/r4/Patient?_revinclude=Appointment:practitioner")) {
      assertThat(api.send("GET", refused, clinic.token(clinic.desk), null, Map.of()).status()).as(refused).isEqualTo(400);
    }
  }

  @Test
  void anotherTenantReachesNothingByIdSearchIncludeOrCursor() {
    String maria = clinic.patient("Walled", "Maria").getString("id");
    String visit = clinic.appointment(maria).getString("id");
    for (IsolationTier tier : List.of(IsolationTier.SHARED, IsolationTier.SCHEMA, IsolationTier.DATABASE)) {
      Clinic other = Clinic.in("us", tier);
      IGenericClient outsider = client(other, other.desk);
      assertThatThrownBy(() -> outsider.read().resource(Patient.class).withId(maria).execute())
          .isInstanceOf(ResourceNotFoundException.class);
      assertThatThrownBy(() -> outsider.read().resource(Appointment.class).withId(visit).execute())
          .isInstanceOf(ResourceNotFoundException.class);
      assertThatThrownBy(() -> outsider.read().resource(Practitioner.class).withId(clinic.practitionerId).execute())
          .isInstanceOf(ResourceNotFoundException.class);
      Bundle appointments = outsider.search().forResource(Appointment.class).where(Appointment.PATIENT.hasId(maria))
          .include(Appointment.INCLUDE_PATIENT).returnBundle(Bundle.class).execute();
      assertThat(appointments.getEntry()).isEmpty();
      Bundle patients = outsider.search().forResource(Patient.class).where(Patient.RES_ID.exactly().codes(maria))
          .revInclude(Appointment.INCLUDE_PATIENT).returnBundle(Bundle.class).execute();
      assertThat(patients.getEntry()).isEmpty();
      Bundle practitioners = outsider.search().forResource(Practitioner.class)
          .where(Practitioner.RES_ID.exactly().codes(clinic.practitionerId)).returnBundle(Bundle.class).execute();
      assertThat(practitioners.getEntry()).isEmpty();
    }
    clinic.appointment(maria);
    clinic.appointment(maria);
    JsonObject page = expect(api.send("GET", "/fhir/r4/Appointment?patient=" + maria + "&_count=1",
        clinic.token(clinic.desk), null, Map.of()), 200).json();
    String next = null;
    JsonArray links = page.getJsonArray("link");
    for (int i = 0; i < links.size(); i++) {
      if ("next".equals(links.getJsonObject(i).getString("relation"))) {
        next = links.getJsonObject(i).getString("url");
      }
    }
    assertThat(next).isNotNull();
    String path = next.substring(next.indexOf("/fhir/r4/"));
    Clinic other = Clinic.in("us");
    expect(api.send("GET", path, other.token(other.desk), null, Map.of()), 400);
    expect(api.send("GET", path.replace("_cursor=", "_cursor=A"), clinic.token(clinic.desk), null, Map.of()), 400);
  }

  @Test
  void theOrganizationIsTheCallersOwnTenantAndNoOther() {
    IGenericClient desk = client(clinic, clinic.desk);
    String own = clinic.tenant.id().value().toString();
    org.hl7.fhir.r4.model.Organization read = desk.read().resource(org.hl7.fhir.r4.model.Organization.class)
        .withId(own).execute();
    valid(read);
    Bundle all = desk.search().forResource(org.hl7.fhir.r4.model.Organization.class).returnBundle(Bundle.class)
        .execute();
    valid(all);
    assertThat(ids(all, Bundle.SearchEntryMode.MATCH)).containsExactly("Organization/" + own);
    Clinic other = Clinic.in("us", IsolationTier.SCHEMA);
    String theirs = other.tenant.id().value().toString();
    assertThatThrownBy(() -> desk.read().resource(org.hl7.fhir.r4.model.Organization.class).withId(theirs).execute())
        .isInstanceOf(ResourceNotFoundException.class);
    assertThat(desk.search().forResource(org.hl7.fhir.r4.model.Organization.class)
        .where(org.hl7.fhir.r4.model.Organization.RES_ID.exactly().codes(theirs)).returnBundle(Bundle.class).execute()
        .getEntry()).isEmpty();
  }

  @Test
  void theGenericClientBooksAnAppointmentUnderTheServicesRules() {
    String maria = clinic.patient("Booker", "Maria").getString("id");
    IGenericClient desk = client(clinic, clinic.desk);
    java.time.Instant start = Clinic.nextSlot();
    Appointment sent = new Appointment().setStatus(Appointment.AppointmentStatus.BOOKED)
        .setStart(java.util.Date.from(start)).setEnd(java.util.Date.from(start.plusSeconds(1800)))
        .setDescription("Follow-up");
    sent.addParticipant().setActor(new org.hl7.fhir.r4.model.Reference("Patient/" + maria))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    sent.addParticipant().setActor(new org.hl7.fhir.r4.model.Reference("Practitioner/" + clinic.practitionerId))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    MethodOutcome booked = desk.create().resource(sent).execute();
    Appointment read = desk.read().resource(Appointment.class).withId(booked.getId().getIdPart()).execute();
    valid(read);
    assertThat(read.getDescription()).isEqualTo("Follow-up");
    assertThat(read.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
    assertThatThrownBy(() -> desk.create().resource(sent).execute())
        .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException.class);
    Appointment proposed = sent.copy().setStatus(Appointment.AppointmentStatus.PROPOSED);
    assertThatThrownBy(() -> desk.create().resource(proposed).execute())
        .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException.class);
    Clinic other = Clinic.in("us");
    Appointment elsewhere = sent.copy().setStart(java.util.Date.from(start.plusSeconds(7200)))
        .setEnd(java.util.Date.from(start.plusSeconds(9000)));
    assertThatThrownBy(() -> client(other, other.desk).create().resource(elsewhere).execute())
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void anUpdateIsOneStepOfTheServicesStateMachineOrAReschedule() {
    String maria = clinic.patient("Stepper", "Maria").getString("id");
    IGenericClient desk = client(clinic, clinic.desk);
    String due = clinic.dueAppointment(maria).getString("id");
    Appointment read = desk.read().resource(Appointment.class).withId(due).execute();
    read.setStatus(Appointment.AppointmentStatus.CHECKEDIN);
    MethodOutcome checkedIn = desk.update().resource(read).execute();
    assertThat(checkedIn.getId().getVersionIdPart()).isEqualTo("2");
    Appointment now = desk.read().resource(Appointment.class).withId(due).execute();
    valid(now);
    assertThat(now.getStatus()).isEqualTo(Appointment.AppointmentStatus.CHECKEDIN);
    Appointment back = now.copy().setStatus(Appointment.AppointmentStatus.BOOKED);
    assertThatThrownBy(() -> desk.update().resource(back).execute())
        .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException.class);
    Appointment moved = now.copy().setDescription("moved");
    assertThatThrownBy(() -> desk.update().resource(moved).execute())
        .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException.class);
    Appointment both = now.copy().setStatus(Appointment.AppointmentStatus.CANCELLED).setDescription("x");
    assertThatThrownBy(() -> desk.update().resource(both).execute())
        .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException.class);

    String later = clinic.appointment(maria).getString("id");
    Appointment booked = desk.read().resource(Appointment.class).withId(later).execute();
    booked.setDescription("Bring the glucose log");
    assertThat(desk.update().resource(booked).execute().getId().getVersionIdPart()).isEqualTo("2");
    Appointment stale = booked.copy();
    stale.setIdElement(new IdType("Appointment", later, "1"));
    stale.setStatus(Appointment.AppointmentStatus.CANCELLED);
    assertThatThrownBy(() -> desk.update().resource(stale).execute()).isInstanceOf(PreconditionFailedException.class);
    Appointment cancel = desk.read().resource(Appointment.class).withId(later).execute();
    cancel.setStatus(Appointment.AppointmentStatus.CANCELLED).getCancelationReason().setText("patient called");
    desk.update().resource(cancel).execute();
    Appointment cancelled = desk.read().resource(Appointment.class).withId(later).execute();
    valid(cancelled);
    assertThat(cancelled.getCancelationReason().getText()).isEqualTo("patient called");
    assertThat(cancelled.getDescription()).isEqualTo("Bring the glucose log");

    Clinic other = Clinic.in("us");
    assertThatThrownBy(() -> client(other, other.desk).update().resource(cancelled).execute())
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void theCapabilityStatementListsExactlyWhatIsServed() {
    org.hl7.fhir.r4.model.CapabilityStatement statement = client(clinic, clinic.desk).capabilities()
        .ofType(org.hl7.fhir.r4.model.CapabilityStatement.class).execute();
    valid(statement);
    Map<String, org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent> byType =
        new java.util.HashMap<>();
    statement.getRestFirstRep().getResource().forEach(r -> byType.put(r.getType(), r));
    assertThat(byType).containsKeys("Patient", "Practitioner", "Organization", "Location", "Appointment");
    var patient = byType.get("Patient");
    assertThat(patient.getInteraction().stream().map(i -> i.getCode().toCode()))
        .containsExactlyInAnyOrder("read", "vread", "history-instance", "search-type", "create", "update");
    assertThat(patient.getSearchParam().stream().map(p -> p.getName())).containsExactlyInAnyOrder("_id",
        "_lastUpdated", "identifier", "name", "family", "given", "birthdate", "gender");
    assertThat(patient.getSearchRevInclude().stream().map(i -> i.getValue())).contains("Appointment:patient");
    var appointment = byType.get("Appointment");
    assertThat(appointment.getInteraction().stream().map(i -> i.getCode().toCode()))
        .containsExactlyInAnyOrder("read", "vread", "history-instance", "search-type", "create", "update");
    assertThat(appointment.getSearchInclude().stream().map(i -> i.getValue()))
        .containsExactlyInAnyOrder("Appointment:patient", "Appointment:practitioner", "Appointment:location");
    assertThat(byType.get("Practitioner").getSearchRevInclude()).isEmpty();
  }

  @Test
  void theReceptionistsPatientCarriesNoClinicalSection() {
    String id = clinic.patient("Projected", "Ada").getString("id");
    Api.Response v1 = expect(api.get("/v1/patients/" + id, clinic.token(clinic.doctor)), 200);
    expect(api.patch("/v1/patients/" + id, clinic.token(clinic.doctor), new JsonObject().put("clinical",
        new JsonObject().put("allergies", new JsonArray().add("penicillin"))), v1.header("ETag")), 200);
    String desk = expect(api.send("GET", "/fhir/r4/Patient/" + id, clinic.token(clinic.desk), null, Map.of()), 200)
        .body();
    FhirValidation.assertValid(desk);
    assertThat(desk).doesNotContain("penicillin").doesNotContain("extension");
    assertThat(expect(api.get("/v1/patients/" + id, clinic.token(clinic.desk)), 200).json().containsKey("clinical"))
        .isFalse();
    String doctor = expect(api.send("GET", "/fhir/r4/Patient/" + id, clinic.token(clinic.doctor), null, Map.of()),
        200).body();
    FhirValidation.assertValid(doctor);
  }
}
