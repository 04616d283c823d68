package io.caduceus.api.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import ca.uhn.fhir.rest.gclient.StringClientParam;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.routing.IsolationTier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * FHIR {@code Location}: the tenant's facilities read and searched through HAPI's generic client, valid for HAPI's
 * validator, readable by every member whatever the scoped access policy; appointments name their facility as a
 * Location participant and are found by it; another tenant reaches none of it (every tier).
 */
class FhirLocationTest extends ClinicFixture {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final StringClientParam ADDRESS = new StringClientParam("address");
  private static final TokenClientParam STATUS = new TokenClientParam("status");
  private static final ReferenceClientParam LOCATION = new ReferenceClientParam("location");

  private String admin;
  private String main;
  private String east;

  @BeforeEach
  void twoSites() {
    admin = clinic.token(clinic.admin);
    main = facility("Riverside Main", new JsonObject().put("lines", new JsonArray().add("1 River Road"))
        .put("city", "Springfield").put("region", "IL").put("postalCode", "62701").put("country", "US"));
    east = facility("Riverside East", new JsonObject().put("city", "Shelbyville").put("postalCode", "62565")
        .put("country", "US"));
  }

  @Test
  void theGenericClientReadsAndSearchesTheTenantsFacilities() {
    IGenericClient desk = client(clinic, clinic.desk);
    Location read = desk.read().resource(Location.class).withId(main).execute();
    valid(read);
    assertThat(read.getName()).isEqualTo("Riverside Main");
    assertThat(read.getStatus()).isEqualTo(Location.LocationStatus.ACTIVE);
    assertThat(read.getAddress().getCity()).isEqualTo("Springfield");
    assertThat(read.getAddress().getLine().get(0).getValue()).isEqualTo("1 River Road");
    assertThat(read.getManagingOrganization().getReference())
        .isEqualTo("Organization/" + clinic.tenant.id().value());
    assertThat(read.getMeta().getVersionId()).isEqualTo("1");

    assertThat(matches(desk.search().forResource(Location.class).where(Location.NAME.matches().value("RIVERSIDE"))
        .returnBundle(Bundle.class).execute())).containsExactly("Location/" + east, "Location/" + main);
    assertThat(matches(desk.search().forResource(Location.class).where(Location.NAME.matches().value("side"))
        .returnBundle(Bundle.class).execute())).as("a prefix, not a substring").isEmpty();
    assertThat(matches(desk.search().forResource(Location.class).where(Location.ADDRESS_CITY.matches()
        .value("spring")).returnBundle(Bundle.class).execute())).containsExactly("Location/" + main);
    assertThat(matches(desk.search().forResource(Location.class).where(ADDRESS.matches().value("62565"))
        .returnBundle(Bundle.class).execute())).containsExactly("Location/" + east);
    assertThat(matches(desk.search().forResource(Location.class).where(ADDRESS.matches().value("1 river"))
        .returnBundle(Bundle.class).execute())).containsExactly("Location/" + main);
    assertThat(matches(desk.search().forResource(Location.class).where(Location.RES_ID.exactly().codes(east))
        .returnBundle(Bundle.class).execute())).containsExactly("Location/" + east);

    expect(api.post("/v1/facilities/" + east + "/close", admin, null), 200);
    assertThat(matches(desk.search().forResource(Location.class).where(STATUS.exactly().code("inactive"))
        .returnBundle(Bundle.class).execute())).containsExactly("Location/" + east);
    assertThat(matches(desk.search().forResource(Location.class).where(STATUS.exactly().code("active"))
        .returnBundle(Bundle.class).execute())).containsExactly("Location/" + main);
    Location closed = desk.read().resource(Location.class).withId(east).execute();
    valid(closed);
    assertThat(closed.getStatus()).isEqualTo(Location.LocationStatus.INACTIVE);
    assertThat(closed.getMeta().getVersionId()).isEqualTo("2");

    Bundle first = desk.search().forResource(Location.class).count(1).include(Location.INCLUDE_ORGANIZATION)
        .returnBundle(Bundle.class).execute();
    valid(first);
    assertThat(matches(first)).containsExactly("Location/" + east);
    assertThat(ids(first, Bundle.SearchEntryMode.INCLUDE))
        .containsExactly("Organization/" + clinic.tenant.id().value());
    Bundle second = desk.loadPage().next(first).execute();
    assertThat(matches(second)).containsExactly("Location/" + main);
    assertThat(second.getLink(Bundle.LINK_NEXT)).isNull();
    assertThat(desk.search().forResource(Location.class).where(Location.ORGANIZATION.hasId("Organization/"
        + Clinic.unknownId())).returnBundle(Bundle.class).execute().getEntry()).isEmpty();
    assertThat(expect(api.send("GET", "/fhir/r4/Location?name=riv&_summary=count", clinic.token(clinic.desk), null,
        Map.of()), 200).json().getInteger("total")).isEqualTo(2);
    for (String refused : List.of("/fhir/r4/Location?name:contains=side", "/fhir/r4/Location?near=1%7C2",
        "/fhir/r4/Location?_sort=name", "/fhir/r4/Location?_include=Location:partof")) {
      assertThat(api.send("GET", refused, clinic.token(clinic.desk), null, Map.of()).status()).as(refused)
          .isEqualTo(400);
    }
  }

  @Test
  void everyMemberReadsFacilitiesWhateverTheScopedAccessPolicy() {
    expect(api.send("PUT", "/v1/tenant/access-policy", admin, new JsonObject().put("scope", "facility").encode(),
        Map.of("If-Match", "\"0\"")), 200);
    IGenericClient nurse = client(clinic, clinic.nurse);
    valid(nurse.read().resource(Location.class).withId(east).execute());
    assertThat(matches(nurse.search().forResource(Location.class).returnBundle(Bundle.class).execute()))
        .containsExactly("Location/" + east, "Location/" + main);
  }

  @Test
  void appointmentsNameTheirFacilityAndAreFoundByIt() {
    expect(api.put("/v1/practitioners/" + clinic.practitionerId + "/facilities", admin, new JsonObject()
        .put("facilityIds", new JsonArray().add(main).add(east))), 200);
    String maria = clinic.patient("Located", "Maria").getString("id");
    String atMain = book(maria, main);
    String atEast = book(maria, east);
    IGenericClient desk = client(clinic, clinic.desk);

    Appointment read = desk.read().resource(Appointment.class).withId(atMain).execute();
    valid(read);
    assertThat(read.getParticipant().stream().map(p -> p.getActor().getReference()))
        .contains("Location/" + main);
    Bundle found = desk.search().forResource(Appointment.class).where(LOCATION.hasId("Location/" + main))
        .include(new ca.uhn.fhir.model.api.Include("Appointment:location")).returnBundle(Bundle.class).execute();
    valid(found);
    assertThat(matches(found)).containsExactly("Appointment/" + atMain);
    assertThat(ids(found, Bundle.SearchEntryMode.INCLUDE)).containsExactly("Location/" + main);
    assertThat(matches(desk.search().forResource(Appointment.class).where(LOCATION.hasAnyOfIds(main, east))
        .returnBundle(Bundle.class).execute())).containsExactlyInAnyOrder("Appointment/" + atMain,
        "Appointment/" + atEast);

    // What was read goes back unchanged but for the reason: the Location participant is understood, not refused.
    read.setDescription("Bring the glucose log");
    assertThat(desk.update().resource(read).execute().getId().getVersionIdPart()).isEqualTo("2");
    Appointment moved = desk.read().resource(Appointment.class).withId(atMain).execute();
    moved.getParticipant().stream().filter(p -> p.getActor().getReference().startsWith("Location/"))
        .forEach(p -> p.setActor(new Reference("Location/" + east)));
    desk.update().resource(moved).execute();
    assertThat(matches(desk.search().forResource(Appointment.class).where(LOCATION.hasId(east))
        .returnBundle(Bundle.class).execute())).containsExactlyInAnyOrder("Appointment/" + atMain,
        "Appointment/" + atEast);

    Instant start = Clinic.nextSlot();
    Appointment sent = new Appointment().setStatus(Appointment.AppointmentStatus.BOOKED)
        .setStart(Date.from(start)).setEnd(Date.from(start.plus(30, ChronoUnit.MINUTES)));
    for (String actor : List.of("Patient/" + maria, "Practitioner/" + clinic.practitionerId, "Location/" + main)) {
      sent.addParticipant().setActor(new Reference(actor)).setStatus(Appointment.ParticipationStatus.ACCEPTED);
    }
    MethodOutcome booked = desk.create().resource(sent).execute();
    JsonObject v1 = expect(api.get("/v1/appointments/" + booked.getId().getIdPart(), clinic.token(clinic.desk)),
        200).json();
    assertThat(v1.getString("facilityId")).isEqualTo(main);
  }

  @Test
  void anotherTenantReachesNoLocationByIdSearchOrInclude() {
    expect(api.put("/v1/practitioners/" + clinic.practitionerId + "/facilities", admin, new JsonObject()
        .put("facilityIds", new JsonArray().add(main))), 200);
    String visit = book(clinic.patient("Walled", "Maria").getString("id"), main);
    for (IsolationTier tier : List.of(IsolationTier.SHARED, IsolationTier.SCHEMA, IsolationTier.DATABASE)) {
      Clinic other = Clinic.in("us", tier);
      IGenericClient outsider = client(other, other.desk);
      assertThatThrownBy(() -> outsider.read().resource(Location.class).withId(main).execute()).as(tier.name())
          .isInstanceOf(ResourceNotFoundException.class);
      assertThat(outsider.search().forResource(Location.class).where(Location.RES_ID.exactly().codes(main, east))
          .returnBundle(Bundle.class).execute().getEntry()).as(tier.name()).isEmpty();
      assertThat(outsider.search().forResource(Location.class).where(Location.NAME.matches().value("riverside"))
          .returnBundle(Bundle.class).execute().getEntry()).as(tier.name()).isEmpty();
      Bundle visits = outsider.search().forResource(Appointment.class).where(LOCATION.hasId(main))
          .include(new ca.uhn.fhir.model.api.Include("Appointment:location")).returnBundle(Bundle.class).execute();
      assertThat(visits.getEntry()).as(tier.name()).isEmpty();
      assertThatThrownBy(() -> outsider.read().resource(Appointment.class).withId(visit).execute())
          .isInstanceOf(ResourceNotFoundException.class);
      // The outsider's own sites include only its own Organization.
      String theirs = expect(api.post("/v1/facilities", other.token(other.admin), new JsonObject()
          .put("name", "Riverside Elsewhere")), 201).json().getString("id");
      Bundle own = outsider.search().forResource(Location.class).include(Location.INCLUDE_ORGANIZATION)
          .returnBundle(Bundle.class).execute();
      assertThat(matches(own)).as(tier.name()).containsExactly("Location/" + theirs);
      assertThat(ids(own, Bundle.SearchEntryMode.INCLUDE)).containsExactly("Organization/"
          + other.tenant.id().value());
    }
  }

  @Test
  void theCapabilityStatementListsLocation() {
    org.hl7.fhir.r4.model.CapabilityStatement statement = client(clinic, clinic.desk).capabilities()
        .ofType(org.hl7.fhir.r4.model.CapabilityStatement.class).execute();
    var location = statement.getRestFirstRep().getResource().stream().filter(r -> r.getType().equals("Location"))
        .findFirst().orElseThrow();
    assertThat(location.getInteraction().stream().map(i -> i.getCode().toCode()))
        .containsExactlyInAnyOrder("read", "search-type");
    assertThat(location.getSearchParam().stream().map(p -> p.getName())).containsExactlyInAnyOrder("_id",
        "_lastUpdated", "name", "address", "address-city", "status", "organization");
    assertThat(location.getSearchInclude().stream().map(i -> i.getValue())).containsExactly("Location:organization");
    var appointment = statement.getRestFirstRep().getResource().stream()
        .filter(r -> r.getType().equals("Appointment")).findFirst().orElseThrow();
    assertThat(appointment.getSearchParam().stream().map(p -> p.getName())).contains("location");
    assertThat(appointment.getSearchInclude().stream().map(i -> i.getValue())).contains("Appointment:location");
  }

  private String facility(String name, JsonObject address) {
    return expect(api.post("/v1/facilities", admin, new JsonObject().put("name", name).put("address", address)), 201)
        .json().getString("id");
  }

  private String book(String patientId, String facilityId) {
    Instant start = Clinic.nextSlot();
    return expect(api.post("/v1/appointments", clinic.token(clinic.desk), new JsonObject().put("patientId", patientId)
        .put("practitionerId", clinic.practitionerId).put("facilityId", facilityId).put("start", start.toString())
        .put("end", start.plus(30, ChronoUnit.MINUTES).toString())), 201).json().getString("id");
  }

  private IGenericClient client(Clinic c, TestPlatform.TestUser user) {
    FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    IGenericClient client = FHIR.newRestfulGenericClient("http://127.0.0.1:" + platform.app().port() + "/fhir/r4");
    client.registerInterceptor(new BearerTokenAuthInterceptor(c.token(user)));
    return client;
  }

  private static void valid(Resource resource) {
    FhirValidation.assertValid(FHIR.newJsonParser().encodeResourceToString(resource));
  }

  private static List<String> matches(Bundle bundle) {
    return ids(bundle, Bundle.SearchEntryMode.MATCH);
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
}
