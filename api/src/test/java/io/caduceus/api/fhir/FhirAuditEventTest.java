package io.caduceus.api.fhir;

import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Partner;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code AuditEvent}: valid FHIR; a patient's token sees their own access log in this tenant as {@code /v1} names it
 * (staff by name, another patient unnamed, never their own reads nor another patient's events); staff with the
 * audit permission see events as stored; date filters; other tenants in every tier find nothing; and reading the
 * log is itself audited.
 */
class FhirAuditEventTest extends ClinicFixture {

  private static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");

  @Test
  void aPatientSeesTheirOwnAccessLogNamedAsV1NamesItAndNotAnotherPatients() {
    String victimId = clinic.patient("Victim", "Vera").getString("id");
    String prowlerId = clinic.patient("Prowler", "Paul").getString("id");
    String otherId = clinic.patient("Other", "Olga").getString("id");
    TestUser victim = platform.patientAccount(clinic.tenant, UUID.fromString(victimId));
    TestUser prowler = platform.patientAccount(clinic.tenant, UUID.fromString(prowlerId));
    assertThat(api.get("/v1/patients/" + victimId, platform.token(prowler)).status()).isIn(403, 404);
    expect(api.get("/v1/patients/" + victimId, clinic.token(clinic.nurse)), 200);
    expect(api.get("/v1/patients/" + otherId, clinic.token(clinic.nurse)), 200);
    String me = platform.token(victim);
    expect(api.get("/v1/patients/" + victimId, me), 200);

    Api.Response log = expect(api.send("GET", "/fhir/r4/AuditEvent?_count=100", me, null, FHIR), 200);
    FhirValidation.assertValid(log.body());
    List<JsonObject> events = resources(log.json());
    assertThat(events).isNotEmpty();
    assertThat(log.body()).doesNotContain(prowler.id().toString()).doesNotContain(prowlerId)
        .doesNotContain(otherId).doesNotContain(victim.id().toString()).doesNotContain(clinic.nurse.id().toString());
    assertThat(events).allSatisfy(e -> {
      assertThat(entities(e)).containsExactly("Patient/" + victimId);
      assertThat(e.getJsonArray("agent").getJsonObject(0).getBoolean("requestor")).isTrue();
      assertThat(e.getJsonObject("type").getString("code")).isEqualTo("110110");
    });
    assertThat(events).anySatisfy(e -> {
      assertThat(agent(e)).isEqualTo("User [nurse]");
      assertThat(e.getString("action")).isEqualTo("R");
      assertThat(e.getString("outcome")).isEqualTo("0");
    });
    assertThat(events).anySatisfy(e -> {
      assertThat(agent(e)).isEqualTo("Someone outside the staff");
      assertThat(e.getString("outcome")).isEqualTo("4");
      assertThat(e.getJsonArray("agent").getJsonObject(0).containsKey("role")).isFalse();
    });

    String nursesRead = events.stream().filter(e -> "User [nurse]".equals(agent(e))).findFirst().orElseThrow()
        .getString("id");
    Api.Response one = expect(api.send("GET", "/fhir/r4/AuditEvent/" + nursesRead, me, null, FHIR), 200);
    FhirValidation.assertValid(one.body());
    assertThat(agent(one.json())).isEqualTo("User [nurse]");
    assertThat(one.header("ETag")).isNotNull();
    String othersEvent = staffEvents(otherId).get(0);
    expect(api.send("GET", "/fhir/r4/AuditEvent/" + othersEvent, me, null, FHIR), 404);
    assertThat(resources(search("AuditEvent?patient=" + otherId, me))).isEmpty();
    assertThat(resources(search("AuditEvent?patient=Patient/" + victimId + "&_count=100", me))).hasSameSizeAs(events);
  }

  @Test
  void staffWithTheAuditPermissionSeeEventsAsStoredAndOthersAreRefused() {
    String patientId = clinic.patient("Stored", "Sam").getString("id");
    expect(api.get("/v1/patients/" + patientId, clinic.token(clinic.nurse)), 200);
    String admin = clinic.token(clinic.admin);
    List<JsonObject> events = resources(search("AuditEvent?patient=" + patientId + "&_count=100", admin));
    assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(entities(e)).contains("Patient/" + patientId));
    assertThat(events).anySatisfy(e -> assertThat(e.getJsonArray("agent").getJsonObject(0).getJsonObject("who")
        .getJsonObject("identifier").getString("value")).isEqualTo(clinic.nurse.id().toString()));
    String id = events.get(0).getString("id");
    FhirValidation.assertValid(expect(api.send("GET", "/fhir/r4/AuditEvent/" + id, admin, null, FHIR), 200).body());
    expect(api.send("GET", "/fhir/r4/AuditEvent/" + id, clinic.token(clinic.nurse), null, FHIR), 403);
    expect(api.send("GET", "/fhir/r4/AuditEvent?patient=" + patientId, clinic.token(clinic.nurse), null, FHIR), 403);
  }

  @Test
  void dateFiltersAndPagesNarrowTheLog() {
    String patientId = clinic.patient("Dated", "Dora").getString("id");
    String nurse = clinic.token(clinic.nurse);
    for (int i = 0; i < 3; i++) {
      expect(api.get("/v1/patients/" + patientId, nurse), 200);
    }
    String me = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(patientId)));
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
    String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
    int all = resources(search("AuditEvent?_count=100", me)).size();
    assertThat(all).isGreaterThanOrEqualTo(3);
    assertThat(resources(search("AuditEvent?date=ge" + yesterday + "&_count=100", me))).hasSize(all);
    assertThat(resources(search("AuditEvent?date=ge" + tomorrow, me))).isEmpty();
    assertThat(resources(search("AuditEvent?date=lt" + yesterday, me))).isEmpty();
    assertThat(resources(search("AuditEvent?_lastUpdated=gt" + tomorrow, me))).isEmpty();
    assertThat(resources(search("AuditEvent?date=ge" + yesterday + "&date=lt" + tomorrow + "&_count=100", me)))
        .hasSize(all);
    String admin = clinic.token(clinic.admin);
    assertThat(resources(search("AuditEvent?patient=" + patientId + "&date=" + today + "&_count=100", admin)))
        .isNotEmpty();
    assertThat(resources(search("AuditEvent?patient=" + patientId + "&_lastUpdated=le" + yesterday, admin)))
        .isEmpty();

    JsonObject first = search("AuditEvent?_count=2", me);
    assertThat(resources(first)).hasSize(2);
    String next = first.getJsonArray("link").stream().map(JsonObject.class::cast)
        .filter(l -> "next".equals(l.getString("relation"))).findFirst().orElseThrow().getString("url");
    JsonObject second = search(next.substring(next.indexOf("/fhir/r4/") + "/fhir/r4/".length()), me);
    assertThat(resources(second)).isNotEmpty().extracting(e -> e.getString("id"))
        .doesNotContainAnyElementsOf(resources(first).stream().map(e -> e.getString("id")).toList());
  }

  @Test
  void readingTheLogIsItselfAudited() {
    String patientId = clinic.patient("Audited", "Abe").getString("id");
    expect(api.get("/v1/patients/" + patientId, clinic.token(clinic.nurse)), 200);
    TestUser patient = platform.patientAccount(clinic.tenant, UUID.fromString(patientId));
    String requestId = "fhir-audit-" + UUID.randomUUID();
    Map<String, String> headers = new LinkedHashMap<>(FHIR);
    headers.put("X-Request-Id", requestId);
    expect(api.send("GET", "/fhir/r4/AuditEvent", platform.token(patient), null, headers), 200);
    List<Map<String, Object>> rows = rows(requestId);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0)).containsEntry("action", "portal.access_log").containsEntry("resource_type", "audit_event")
        .containsEntry("outcome", "success");
    assertThat(String.valueOf(rows.get(0).get("patient_ids"))).contains(patientId);

    String adminRequest = "fhir-audit-" + UUID.randomUUID();
    headers.put("X-Request-Id", adminRequest);
    expect(api.send("GET", "/fhir/r4/AuditEvent?patient=" + patientId, clinic.token(clinic.admin), null, headers),
        200);
    List<Map<String, Object>> adminRows = rows(adminRequest);
    assertThat(adminRows).hasSize(1);
    assertThat(adminRows.get(0)).containsEntry("action", "audit.read").containsEntry("resource_type", "audit_event");
    assertThat(String.valueOf(adminRows.get(0).get("patient_ids"))).contains(patientId);
  }

  @Test
  void otherTenantsInEveryTierFindNothing() {
    String patientId = clinic.patient("Isolated", "Ida").getString("id");
    expect(api.get("/v1/patients/" + patientId, clinic.token(clinic.nurse)), 200);
    String id = resources(search("AuditEvent?patient=" + patientId, clinic.token(clinic.admin))).get(0)
        .getString("id");
    for (IsolationTier tier : List.of(IsolationTier.SHARED, IsolationTier.SCHEMA, IsolationTier.DATABASE)) {
      Clinic other = Clinic.in("us", tier);
      String stranger = other.token(other.admin);
      Api.Response refused = expect(api.send("GET", "/fhir/r4/AuditEvent/" + id, stranger, null, FHIR), 404);
      assertThat(refused.json().getString("resourceType")).isEqualTo("OperationOutcome");
      assertThat(resources(search("AuditEvent?patient=" + patientId, stranger))).isEmpty();
      String theirPatient = other.patient("Elsewhere", "Eve").getString("id");
      String theirs = platform.token(platform.patientAccount(other.tenant, UUID.fromString(theirPatient)));
      expect(api.send("GET", "/fhir/r4/AuditEvent/" + id, theirs, null, FHIR), 404);
      assertThat(resources(search("AuditEvent?patient=" + patientId, theirs))).isEmpty();
    }
  }

  @Test
  void aCopyMadeByAnExchangeNamesThePartnerTenantAsTheLogDoesAndOnlyInItsOwnTenant() {
    Partner lab = Partner.labLinkedTo(clinic);
    String patientId = clinic.patient("Exchanged", "Erin").getString("id");
    TestUser patient = platform.patientAccount(clinic.tenant, UUID.fromString(patientId));
    expect(api.post("/v1/lab-orders", clinic.token(clinic.doctor), new JsonObject()
        .put("patientId", patientId).put("labTenantId", lab.tenant.id().toString())
        .put("tests", new JsonArray().add(new JsonObject().put("code", "2345-7").put("display", "Glucose")))), 201);
    JsonObject work = Await.until(() -> expect(api.get("/v1/lab-orders?direction=incoming", lab.token(lab.staff)),
        200).items(), items -> !items.isEmpty()).getJsonObject(0);
    String labPatientId = work.getString("patientId");
    TestUser atLab = platform.joinAsPatient(patient, lab.tenant, UUID.fromString(labPatientId));

    List<JsonObject> atTheLab = resources(search("AuditEvent?_count=100", platform.token(atLab)));
    assertThat(atTheLab).anySatisfy(e -> {
      assertThat(e.getJsonArray("subtype").getJsonObject(0).getString("code")).isEqualTo("lab_order.receive");
      assertThat(agent(e)).isEqualTo("Caduceus exchange");
      JsonObject partner = e.getJsonArray("agent").getJsonObject(1);
      assertThat(partner.getBoolean("requestor")).isFalse();
      assertThat(partner.getJsonObject("who").getJsonObject("identifier").getString("value"))
          .isEqualTo(clinic.tenant.id().toString());
      assertThat(partner.getJsonObject("who").getString("display")).isEqualTo("Test " + clinic.tenant.slug());
    });
    assertThat(atTheLab).allSatisfy(e -> assertThat(entities(e)).containsExactly("Patient/" + labPatientId));
    List<JsonObject> atTheClinic = resources(search("AuditEvent?_count=100", platform.token(patient)));
    assertThat(atTheClinic).noneSatisfy(e -> assertThat(e.getJsonArray("subtype").getJsonObject(0)
        .getString("code")).isEqualTo("lab_order.receive"));
    assertThat(atTheClinic).allSatisfy(e -> assertThat(entities(e)).containsExactly("Patient/" + patientId));
  }

  @Test
  void theStoredActionsVerbIsTheFhirAction() {
    assertThat(AuditEventFhir.action("patient.create")).isEqualTo(AuditEvent.AuditEventAction.C);
    assertThat(AuditEventFhir.action("patient.read")).isEqualTo(AuditEvent.AuditEventAction.R);
    assertThat(AuditEventFhir.action("prescription.search")).isEqualTo(AuditEvent.AuditEventAction.R);
    assertThat(AuditEventFhir.action("portal.access_log")).isEqualTo(AuditEvent.AuditEventAction.R);
    assertThat(AuditEventFhir.action("patient.update")).isEqualTo(AuditEvent.AuditEventAction.U);
    assertThat(AuditEventFhir.action("patient.delete")).isEqualTo(AuditEvent.AuditEventAction.D);
    assertThat(AuditEventFhir.action("encounter.remove_vitals")).isEqualTo(AuditEvent.AuditEventAction.D);
    assertThat(AuditEventFhir.action("encounter.sign")).isEqualTo(AuditEvent.AuditEventAction.E);
  }

  /** A search's Bundle, validated. */
  private JsonObject search(String query, String token) {
    Api.Response r = expect(api.send("GET", "/fhir/r4/" + query, token, null, FHIR), 200);
    FhirValidation.assertValid(r.body());
    return r.json();
  }

  private static List<JsonObject> resources(JsonObject bundle) {
    return bundle.getJsonArray("entry", new JsonArray()).stream().map(JsonObject.class::cast)
        .map(e -> e.getJsonObject("resource")).toList();
  }

  private static String agent(JsonObject event) {
    return event.getJsonArray("agent").getJsonObject(0).getJsonObject("who").getString("display");
  }

  /** The references of an event's entities that name a resource. */
  private static List<String> entities(JsonObject event) {
    return event.getJsonArray("entity").stream().map(JsonObject.class::cast)
        .map(e -> e.getJsonObject("what").getString("reference")).filter(r -> r != null).toList();
  }

  /** The ids of the staff's events naming the patient, newest first. */
  private List<String> staffEvents(String patientId) {
    return Sql.query(platform.superuser(clinic.tenant), "SELECT id::text AS id FROM audit_event WHERE tenant_id ="
            + " ?::uuid AND ?::uuid = ANY(patient_ids) ORDER BY occurred_at DESC", clinic.tenant.id().toString(),
        patientId).stream().map(r -> (String) r.get("id")).toList();
  }

  private List<Map<String, Object>> rows(String requestId) {
    return Sql.query(platform.superuser(clinic.tenant), "SELECT action, resource_type, outcome, patient_ids::text"
        + " AS patient_ids FROM audit_event WHERE request_id = ?", requestId);
  }
}
