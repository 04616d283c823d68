package io.caduceus.api.http;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.telehealth.VirtualVisits;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.FacilityRows;
import io.caduceus.api.testing.Partner;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.testing.Await;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation of the contract that answers 201 names what it created in {@code Location}: a path of the
 * contract, which (where the contract has a GET for it) its creator can read. Each operation has a recipe here
 * that makes it answer 201; a new creating operation without one fails the test, so none can be forgotten.
 */
class LocationTest {

  /** A 201 and whoever may read what it created. */
  private static JsonObject participant(String reference) {
    return new JsonObject().put("actor", new JsonObject().put("reference", reference)).put("status", "accepted");
  }

  private static com.nimbusds.jose.jwk.JWK publicKey() {
    try {
      return new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_384).keyID("located")
          .generate().toPublicJWK();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Created(Api.Response response, String reader) {
  }

  private static final String SCIM = "application/scim+json";

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();
  private final Clinic clinic = Clinic.in("us");
  private final Partner lab = Partner.lab("us");
  private final Partner pharmacy = Partner.pharmacy("us");
  private final Partner insurer = Partner.insurer("us");
  private final String patientId = clinic.patient(new JsonObject()
      .put("name", new JsonObject().put("family", "Location").put("given", "Lena")).put("birthDate", "1975-03-04")
      .put("sex", "female").put("contact", new JsonObject().put("email", "lena@example.test"))).getString("id");

  @Test
  void everyOperationThatAnswers201NamesWhatItCreatedInLocation() {
    Map<String, Supplier<Created>> recipes = recipes();
    assertThat(recipes.keySet()).as("a recipe for every creating operation of the contract")
        .containsExactlyInAnyOrderElementsOf(creatingOperations());
    ContractRoutes routes = ContractRoutes.of(Contract.load().document());
    List<String> failures = new ArrayList<>();
    recipes.forEach((operationId, recipe) -> {
      Created created = recipe.get();
      // SCIM's Location is the resource's absolute URI (its meta.location, RFC 7644 §3.3); its path is the contract's.
      // FHIR's Location names the version created (RFC 9110 allows it; FHIR requires it), which vread answers.
      String location = Optional.ofNullable(expect(created.response(), 201).header("Location"))
          .map(l -> l.replaceFirst("^https?://[^/]+", ""))
          .orElse(null);
      if (location == null) {
        failures.add(operationId + ": no Location");
        return;
      }
      var route = routes.find(location);
      if (route.isEmpty()) {
        failures.add(operationId + ": Location " + location + " is no path of the contract");
      } else if (route.get().operations().containsKey(HttpMethod.GET)) {
        Api.Response read = api.get(location, created.reader());
        if (read.status() != 200) {
          failures.add(operationId + ": GET " + location + " -> " + read.status() + " " + read.body());
        }
      }
    });
    assertThat(failures).isEmpty();
  }

  private Set<String> creatingOperations() {
    Set<String> ids = new TreeSet<>();
    JsonObject paths = Contract.load().document().getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : List.of("get", "put", "post", "delete", "patch")) {
        JsonObject op = paths.getJsonObject(path).getJsonObject(method);
        if (op != null && op.getJsonObject("responses").containsKey("201")) {
          ids.add(op.getString("operationId"));
        }
      }
    }
    return ids;
  }

  private Map<String, Supplier<Created>> recipes() {
    String admin = clinic.token(clinic.admin);
    String desk = clinic.token(clinic.desk);
    String doctor = clinic.token(clinic.doctor);
    String owner = platform.token(platform.platformOwner());
    Map<String, Supplier<Created>> r = new LinkedHashMap<>();
    r.put("createTenant", () -> new Created(api.post("/v1/platform/tenants", owner, new JsonObject()
        .put("kind", "clinic").put("slug", "located-" + suffix()).put("name", "Located Clinic").put("dataRegion", "us")
        .put("locale", "en-US").put("timeZone", "America/New_York")
        .put("adminEmail", "admin-" + suffix() + "@located.test")), owner));
    r.put("createFlag", () -> new Created(api.post("/v1/platform/flags", owner, new JsonObject()
        .put("key", "located." + suffix()).put("kind", "boolean").put("variants", new JsonObject().put("on", true))
        .put("defaultVariant", "on").put("owner", "test").put("description", "located").put("expiresOn", "2030-01-01")),
        owner));
    r.put("createScimToken", () -> new Created(api.post("/v1/tenants/" + clinic.tenant.id() + "/scim-tokens", admin,
        new JsonObject().put("name", "Located")), admin));
    r.put("createScimUser", () -> {
      String scim = scimToken(admin);
      return new Created(api.send("POST", "/scim/v2/Users", scim, new JsonObject()
          .put("userName", "scim-" + suffix() + "@located.test").encode(), Map.of("Content-Type", SCIM)), scim);
    });
    r.put("createScimGroup", () -> {
      String scim = scimToken(admin);
      return new Created(api.send("POST", "/scim/v2/Groups", scim, new JsonObject()
          .put("displayName", "Located " + suffix()).encode(), Map.of("Content-Type", SCIM)), scim);
    });
    r.put("createInvitation", () -> new Created(api.post("/v1/tenants/" + clinic.tenant.id() + "/invitations", admin,
        new JsonObject().put("email", "nurse-" + suffix() + "@located.test").put("roles", new JsonArray().add("nurse"))),
        admin));
    r.put("createTenantRole", () -> new Created(api.post("/v1/tenants/" + clinic.tenant.id() + "/roles", admin,
        new JsonObject().put("name", "Located " + suffix()).put("permissions", new JsonArray().add("appointment.read"))),
        admin));
    r.put("createGrant", () -> new Created(api.post("/v1/tenants/" + clinic.tenant.id() + "/users/"
        + clinic.nurse.id() + "/grants", admin, new JsonObject().put("permission", "appointment.read")), admin));
    Map<String, String> fhir = Map.of("Content-Type", "application/fhir+json", "Accept", "application/fhir+json");
    r.put("fhirPatientCreate", () -> new Created(api.send("POST", "/fhir/r4/Patient", desk, new JsonObject()
        .put("resourceType", "Patient").put("gender", "female").put("birthDate", "1990-01-01")
        .put("name", new JsonArray().add(new JsonObject().put("family", "Fhir").put("given", new JsonArray().add("Fay"))))
        .encode(), fhir), desk));
    r.put("fhirAppointmentCreate", () -> {
      Instant start = Clinic.nextSlot();
      return new Created(api.send("POST", "/fhir/r4/Appointment", desk, new JsonObject()
          .put("resourceType", "Appointment").put("status", "booked").put("start", start.toString())
          .put("end", start.plusSeconds(1800).toString())
          .put("participant", new JsonArray()
              .add(participant("Patient/" + patientId)).add(participant("Practitioner/" + clinic.practitionerId)))
          .encode(), fhir), desk);
    });
    r.put("fhirObservationCreate", () -> {
      String encounter = expect(api.post("/v1/encounters", doctor, new JsonObject()
          .put("appointmentId", clinic.appointment(patientId).getString("id"))), 201).json().getString("id");
      JsonObject loinc = new JsonObject().put("system", "http://loinc.org").put("code", "8867-4");
      JsonObject category = new JsonObject().put("system", "http://terminology.hl7.org/CodeSystem/observation-category")
          .put("code", "vital-signs");
      return new Created(api.send("POST", "/fhir/r4/Observation", doctor, new JsonObject()
          .put("resourceType", "Observation").put("status", "final")
          .put("category", new JsonArray().add(new JsonObject().put("coding", new JsonArray().add(category))))
          .put("code", new JsonObject().put("coding", new JsonArray().add(loinc)))
          .put("encounter", new JsonObject().put("reference", "Encounter/" + encounter))
          .put("valueQuantity", new JsonObject().put("value", 72).put("unit", "/min")
              .put("system", "http://unitsofmeasure.org").put("code", "/min"))
          .encode(), fhir), doctor);
    });
    r.put("createEhrConnector", () -> new Created(api.post("/v1/tenants/" + clinic.tenant.id() + "/ehr-connectors",
        admin, new JsonObject().put("name", "Located EHR").put("baseUrl", "http://127.0.0.1:9/fhir")
            .put("auth", new JsonObject().put("type", "basic").put("username", "located").put("password", "secret"))),
        admin));
    r.put("createSmartApp", () -> new Created(api.post("/v1/tenants/" + clinic.tenant.id() + "/fhir-apps", admin,
        new JsonObject().put("name", "Located app").put("redirectUris", new JsonArray().add("https://app.example/cb"))
            .put("scopes", new JsonArray().add("patient/*.read"))), admin));
    r.put("createSmartLaunch", () -> {
      String app = expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/fhir-apps", admin, new JsonObject()
          .put("name", "Located launch").put("redirectUris", new JsonArray().add("https://app.example/cb"))
          .put("launchUrl", "https://app.example/launch").put("scopes", new JsonArray().add("launch")
              .add("user/Patient.rs"))), 201).json().getString("clientId");
      return new Created(api.post("/v1/smart/launches", clinic.token(clinic.doctor),
          new JsonObject().put("appId", app).put("patientId", patientId)), clinic.token(clinic.doctor));
    });
    r.put("createSmartClient", () -> new Created(api.post("/v1/tenants/" + clinic.tenant.id() + "/fhir-clients",
        admin, new JsonObject().put("name", "Located client").put("jwks", new JsonObject().put("keys",
                new JsonArray().add(new JsonObject(publicKey().toJSONObject()))))
            .put("roles", new JsonArray().add("physician")).put("scopes", new JsonArray().add("system/Patient.read"))),
        admin));
    r.put("createPatient", () -> new Created(api.post("/v1/patients", desk, new JsonObject().put("name",
        new JsonObject().put("family", "Created").put("given", "Carl")).put("birthDate", "1990-01-01")
        .put("sex", "male")), desk));
    r.put("openEmergencyAccess", () -> new Created(api.post("/v1/patients/" + patientId + "/emergency-access", doctor,
        new JsonObject().put("reason", "Located: the chart is needed in an emergency")), doctor));
    r.put("createPractitioner", () -> new Created(api.post("/v1/practitioners", admin, new JsonObject()
        .put("userId", platform.user(clinic.tenant, "nurse").id().toString())
        .put("name", new JsonObject().put("family", "Nurse").put("given", "Nina"))), admin));
    r.put("createRoom", () -> {
      // A clinic of its own: once a tenant has a facility, its visits in person must name one.
      Clinic sited = Clinic.in("us");
      String sitedAdmin = sited.token(sited.admin);
      return new Created(api.post("/v1/rooms", sitedAdmin, new JsonObject()
          .put("facilityId", FacilityRows.add(sited, "Located site", null)).put("name", "Exam 1")), sitedAdmin);
    });
    r.put("bookAppointment", () -> {
      Instant start = Clinic.nextSlot();
      return new Created(api.post("/v1/appointments", desk, new JsonObject().put("patientId", patientId)
          .put("practitionerId", clinic.practitionerId).put("start", start.toString())
          .put("end", start.plusSeconds(1800).toString())), desk);
    });
    r.put("createPartnerInvitation", () -> new Created(api.post("/v1/partner-invitations", admin,
        new JsonObject().put("scope", "lab_orders")), admin));
    r.put("acceptPartnerInvitation", () -> {
      String code = expect(api.post("/v1/partner-invitations", admin, new JsonObject().put("scope", "lab_orders")), 201)
          .json().getString("code");
      return new Created(api.post("/v1/partner-invitations/accept", lab.token(lab.admin),
          new JsonObject().put("code", code)), lab.token(lab.admin));
    });
    r.put("openEncounter", () -> new Created(api.post("/v1/encounters", doctor, new JsonObject()
        .put("appointmentId", clinic.appointment(patientId).getString("id"))), doctor));
    r.put("placeLabOrder", () -> {
      Partner linkedLab = Partner.labLinkedTo(clinic);
      return new Created(api.post("/v1/lab-orders", doctor, new JsonObject().put("patientId", patientId)
          .put("labTenantId", linkedLab.tenant.id().toString())
          .put("tests", new JsonArray().add(new JsonObject().put("code", "2345-7")))), doctor);
    });
    r.put("placePrescription", () -> {
      pharmacy.linkTo(clinic);
      return new Created(api.post("/v1/prescriptions", doctor, new JsonObject().put("patientId", patientId)
          .put("pharmacyTenantId", pharmacy.tenant.id().toString())
          .put("medication", new JsonObject().put("rxnorm", "861007").put("display", "Metformin 500 mg"))
          .put("dose", "1 tablet").put("frequency", "twice daily").put("quantity", 60).put("refills", 1)
          .put("daysSupply", 30)), doctor);
    });
    r.put("createInteractionRule", () -> new Created(api.post("/v1/interaction-rules", pharmacy.token(pharmacy.staff),
        new JsonObject().put("ingredientA", "723").put("ingredientB", "6809").put("severity", "moderate")
            .put("effect", "Local policy: review renal function.").put("management", "Check eGFR first.")
            .put("source", "Pharmacy committee minutes")), pharmacy.token(pharmacy.staff)));
    r.put("createCoverage", () -> new Created(api.post("/v1/coverages", insurer.token(insurer.staff), new JsonObject()
        .put("patientId", insurerMember()).put("memberId", "LOC-" + suffix()).put("plan", "Gold PPO")
        .put("periodStart", "2026-01-01")), insurer.token(insurer.staff)));
    r.put("putFee", () -> new Created(api.put("/v1/fees/99214", accountant(), new JsonObject()
        .put("amountCents", 21_000).put("currency", "USD")), accountant()));
    r.put("submitClaim", this::claim);
    r.put("registerDevice", () -> new Created(api.post("/v1/portal/devices", patient(), new JsonObject()
        .put("token", "fcm-token-" + suffix()).put("platform", "android")), patient()));
    r.put("answerSurvey", this::surveyAnswer);
    r.put("sendMySecureMessage", () -> new Created(api.post("/v1/portal/secure-messages", patient(), new JsonObject()
        .put("subject", "A question").put("body", "Can I take it with food?")), patient()));
    r.put("sendSecureMessage", () -> new Created(api.post("/v1/patients/" + patientId + "/secure-messages",
        clinic.token(clinic.nurse), new JsonObject().put("subject", "Your results").put("body", "All normal.")),
        clinic.token(clinic.nurse)));
    r.put("createCareRule", () -> new Created(api.post("/v1/engagement/care-rules", admin, new JsonObject()
        .put("name", "HbA1c for diabetes").put("diagnosisPrefix", "E11").put("loincCode", "4548-4")
        .put("intervalMonths", 6)), admin));
    r.put("createCampaign", () -> new Created(api.post("/v1/campaigns", admin, new JsonObject().put("name", "Flu")
        .put("segment", new JsonObject().put("language", "xx"))
        .put("content", new JsonObject().put("email", new JsonObject().put("subject", "Flu shots")
            .put("body", "Hello {{givenName}}, flu shots are in.")))
        .put("schedule", new JsonObject().put("kind", "once").put("at", Instant.now().plusSeconds(86_400).toString()))),
        admin));
    r.put("createSurvey", () -> new Created(api.post("/v1/surveys", admin, survey(false)), admin));
    r.put("repairTenantAuditChain", () -> brokenChainRepaired(owner));
    r.put("sendTelehealthMessage", () -> {
      VirtualVisits visits = new VirtualVisits(clinic);
      visits.turnOn();
      String session = VirtualVisits.session(expect(visits.book(patientId, Clinic.nextSlot(), 30), 201).json());
      return new Created(api.post(session + "/messages", doctor, new JsonObject().put("clientId", "located-1")
          .put("body", "Hello")), doctor);
    });
    r.put("inviteTelehealthGuest", () -> {
      VirtualVisits visits = new VirtualVisits(clinic);
      visits.settings(new JsonObject().put("virtualVisits", true).put("maxParticipants", 3));
      String session = VirtualVisits.session(expect(visits.book(patientId, Clinic.nextSlot(), 30), 201).json());
      return new Created(api.post(session + "/guests", doctor, new JsonObject().put("kind", "interpreter")
          .put("displayName", "Ines Interpreter")), doctor);
    });
    r.put("createFacility", () -> new Created(api.post("/v1/facilities", admin, new JsonObject()
        .put("name", "Located " + suffix())), admin));
    r.put("createDepartment", () -> {
      String facility = expect(api.post("/v1/facilities", admin, new JsonObject().put("name", "Located " + suffix())),
          201).json().getString("id");
      return new Created(api.post("/v1/facilities/" + facility + "/departments", admin, new JsonObject()
          .put("name", "Radiology")), admin);
    });
    r.put("createCareTeam", () -> new Created(api.post("/v1/care-teams", admin, new JsonObject()
        .put("name", "Located " + suffix())), admin));
    return r;
  }

  private String accountantToken;
  private String patientToken;

  private String accountant() {
    if (accountantToken == null) {
      accountantToken = platform.token(platform.user(clinic.tenant, "accountant"));
    }
    return accountantToken;
  }

  private String patient() {
    if (patientToken == null) {
      patientToken = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(patientId)));
    }
    return patientToken;
  }

  private String insurerMember() {
    return expect(api.post("/v1/patients", insurer.token(insurer.staff), new JsonObject().put("name",
        new JsonObject().put("family", "Member").put("given", "Mo")).put("birthDate", "1980-01-01")
        .put("sex", "male")), 201).json().getString("id");
  }

  /** A claim for a signed, priced visit of a member of the linked insurer. */
  /** The clinic's sealed trail with one event altered behind the app's back, repaired by the platform owner. */
  private Created brokenChainRepaired(String owner) {
    platform.sealAuditOf(clinic.tenant);
    String schema = clinic.tenant.place().schema();
    Sql.execute(platform.superuser(clinic.tenant), "UPDATE " + schema + ".audit_event SET outcome = 'denied'"
        + " WHERE tenant_id = '" + clinic.tenant.id() + "' AND id = (SELECT event_ids[1] FROM " + schema
        + ".audit_seal WHERE tenant_id = '" + clinic.tenant.id() + "' ORDER BY seq LIMIT 1)");
    String chain = "/v1/platform/tenants/" + clinic.tenant.id();
    long first = expect(api.get(chain + "/audit-events/verify", owner), 200).json()
        .getJsonObject("firstBrokenLink").getLong("seal");
    return new Created(api.post(chain + "/audit-repairs", owner, new JsonObject().put("firstBrokenSeal", first)
        .put("reason", "a seal broken on purpose, to check the repair's Location")), owner);
  }

  private Created claim() {
    insurer.usableLinkTo(clinic);
    String memberId = "CLM-" + suffix();
    String member = insurerMember();
    expect(api.post("/v1/coverages", insurer.token(insurer.staff), new JsonObject().put("patientId", member)
        .put("memberId", memberId).put("plan", "Gold PPO").put("periodStart", "2026-01-01")), 201);
    String insured = clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Member")
        .put("given", "Mo")).put("birthDate", "1980-01-01").put("sex", "male")
        .put("insurance", new JsonObject().put("payer", "Acme").put("memberId", memberId))).getString("id");
    String visit = signedVisit(insured, "99213");
    Api.Response fee = api.put("/v1/fees/99213", accountant(), new JsonObject().put("amountCents", 15_000)
        .put("currency", "USD"));
    assertThat(fee.status()).isIn(200, 201);
    expect(api.post("/v1/encounters/" + visit + "/charges", accountant(), null), 200);
    return new Created(api.post("/v1/claims", accountant(), new JsonObject().put("encounterId", visit)
        .put("insurerTenantId", insurer.tenant.id().toString())), accountant());
  }

  /** A survey sent after a signed visit, answered by the patient once the scheduler has invited them. */
  private Created surveyAnswer() {
    String admin = clinic.token(clinic.admin);
    JsonObject settings = expect(api.get("/v1/engagement/settings", admin), 200).json();
    settings.remove("version");
    settings.put("quietHours", new JsonObject().put("start", "00:00").put("end", "00:00")).put("surveyDelayHours", 0);
    expect(api.put("/v1/engagement/settings", admin, settings), 200);
    expect(api.post("/v1/surveys", admin, survey(true)), 201);
    signedVisit(patientId, null);
    JsonArray pending = Await.until(() -> expect(api.get("/v1/portal/surveys", patient()), 200).items(),
        items -> !items.isEmpty(), Duration.ofSeconds(60));
    return new Created(api.post("/v1/portal/surveys/" + pending.getJsonObject(0).getString("invitationId")
        + "/answers", patient(), new JsonObject().put("answers", new JsonArray()
        .add(new JsonObject().put("questionId", "recommend").put("score", 9)))), patient());
  }

  private String signedVisit(String patient, String procedure) {
    String doctor = clinic.token(clinic.doctor);
    String encounter = expect(api.post("/v1/encounters", doctor, new JsonObject().put("appointmentId",
        clinic.appointment(patient).getString("id"))), 201).json().getString("id");
    expect(api.post("/v1/encounters/" + encounter + "/diagnoses", doctor, new JsonObject().put("code", "J20.9")), 200);
    if (procedure != null) {
      expect(api.post("/v1/encounters/" + encounter + "/procedures", doctor, new JsonObject().put("code", procedure)),
          200);
    }
    expect(api.post("/v1/encounters/" + encounter + "/sign", doctor, null), 200);
    return encounter;
  }

  private static JsonObject survey(boolean afterVisit) {
    return new JsonObject().put("name", "After your visit").put("kind", "nps").put("afterVisit", afterVisit)
        .put("questions", new JsonArray().add(new JsonObject().put("id", "recommend")
            .put("text", "Would you recommend us?").put("type", "score")));
  }

  private String scimToken(String admin) {
    return expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/scim-tokens", admin,
        new JsonObject().put("name", "Located")), 201).json().getString("token");
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
