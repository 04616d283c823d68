package io.caduceus.api.connector;

import io.caduceus.api.fhir.FhirValidation;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Conformance;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.IsolationTier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant connects a legacy EHR (HAPI's plain server in Jetty on 127.0.0.1, no mock of HTTP) and imports from it:
 * the first import creates, a rerun changes nothing, a newer remote version updates, a broken resource is reported
 * while the rest import, credentials are sealed, and no other tenant sees or runs the connector.
 */
class EhrConnectorTest extends ClinicFixture {

  private static final String LEGACY_MRN = "urn:oid:2.16.840.1.113883.19.5.99999.1";
  private final Conformance conformance = Conformance.get();
  private LegacyEhr ehr;

  @BeforeEach
  void aLegacyEhr() throws Exception {
    ehr = new LegacyEhr();
    ehr.put(patient("p1", "L-1001", "Rivera", "Ana", "1975-04-02", Enumerations.AdministrativeGender.FEMALE));
    ehr.put(patient("p2", "L-1002", "Chen", "Wei", "1968-11-20", Enumerations.AdministrativeGender.MALE));
    ehr.put(condition("c1", "p1", "I10"));
    ehr.put(observation("o1", "p1", 120));
    ehr.put(observation("o2", "p2", 131));
    Observation broken = observation("o3", "p2", 99);
    broken.setSubject(null);
    ehr.put(broken);
    ehr.put(medication("m1", "p2", "197361"));
  }

  @AfterEach
  void stop() throws Exception {
    ehr.close();
  }

  @Test
  void firstImportCreatesRerunChangesNothingAndANewerRemoteVersionUpdates() {
    JsonObject connector = create(oauth2());
    String id = connector.getString("id");

    JsonObject first = importAndWait(id, false);
    assertThat(first.getString("status")).isEqualTo("succeeded");
    assertThat(first.getJsonObject("counts").getJsonObject("Patient").getInteger("created")).isEqualTo(2);
    assertThat(first.getJsonObject("counts").getJsonObject("Condition").getInteger("created")).isEqualTo(1);
    assertThat(first.getJsonObject("counts").getJsonObject("Observation").getInteger("created")).isEqualTo(2);
    assertThat(first.getJsonObject("counts").getJsonObject("Observation").getInteger("failed")).isEqualTo(1);
    assertThat(first.getJsonObject("counts").getJsonObject("MedicationRequest").getInteger("created")).isEqualTo(1);
    JsonArray errors = first.getJsonArray("errors");
    assertThat(errors).hasSize(1);
    assertThat(errors.getJsonObject(0).getString("remoteId")).isEqualTo("o3");
    assertThat(errors.getJsonObject(0).getString("reason")).isEqualTo("it has no Patient subject");
    assertThat(errors.encode()).doesNotContain("Chen", "Rivera", "99");

    String rivera = localPatient(id, "p1");
    List<Map<String, Object>> audited = Sql.query(platform.superuser(clinic.tenant), """
        SELECT action, resource_type, actor_user_id::text AS actor FROM audit_event
        WHERE tenant_id = ?::uuid AND request_id = ?""", clinic.tenant.id().toString(),
        "ehr-import:" + first.getString("id"));
    assertThat(audited).hasSize(6).allSatisfy(row -> assertThat(row.get("action")).isEqualTo("ehr_import.create"));
    assertThat(audited.stream().filter(row -> "patient".equals(row.get("resource_type")))).hasSize(2);
    JsonObject shown = expect(api.get("/v1/patients/" + rivera, clinic.token(clinic.doctor)), 200).json();
    assertThat(shown.getJsonObject("name").getString("family")).isEqualTo("Rivera");
    assertThat(shown.getString("mrn")).isNotBlank();
    Api.Response fhir = expect(api.send("GET", "/fhir/r4/Patient/" + rivera, clinic.token(clinic.desk), null,
        Map.of("Accept", "application/fhir+json")), 200);
    assertThat(fhir.json().getJsonArray("name").getJsonObject(0).getString("family")).isEqualTo("Rivera");
    FhirValidation.assertValid(fhir.body());
    JsonArray records = imported(rivera);
    assertThat(records.stream().map(r -> ((JsonObject) r).getString("resourceType")))
        .containsExactlyInAnyOrder("Condition", "Observation");
    records.forEach(r -> assertThat(((JsonObject) r).getJsonObject("resource").getJsonObject("subject")
        .getString("reference")).isEqualTo("Patient/" + rivera));
    String chen = localPatient(id, "p2");
    String riveraToken = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(rivera)));
    assertThat(expect(api.get("/v1/patients/" + rivera + "/imported-records", riveraToken), 200).items()).hasSize(2);
    expect(api.get("/v1/patients/" + chen + "/imported-records", riveraToken), 404);
    Clinic other = Clinic.in("us");
    expect(api.get("/v1/patients/" + rivera + "/imported-records", other.token(other.doctor)), 404);
    expect(api.get("/v1/patients/" + rivera + "/imported-records", clinic.token(clinic.admin)), 403);
    JsonObject checkpointed = conformance.check("GET", path(id), expect(api.get(path(id), clinic.token(clinic.admin)),
        200)).json();
    assertThat(checkpointed.getString("checkpoint")).isNotNull();

    JsonObject rerun = importAndWait(id, false);
    assertThat(rerun.getString("status")).isEqualTo("succeeded");
    assertThat(changes(rerun)).isZero();
    JsonObject full = importAndWait(id, true);
    assertThat(changes(full)).isZero();
    assertThat(full.getJsonObject("counts").getJsonObject("Patient").getInteger("unchanged")).isEqualTo(2);
    assertThat(full.getJsonObject("counts").getJsonObject("Observation").getInteger("unchanged")).isEqualTo(2);
    assertThat(patientsOfTenant()).isEqualTo(2);

    ehr.put(observation("o1", "p1", 135));
    JsonObject changed = importAndWait(id, false);
    assertThat(changed.getJsonObject("counts").getJsonObject("Observation").getInteger("updated")).isEqualTo(1);
    assertThat(changes(changed)).isEqualTo(1);
    JsonObject observation = imported(rivera).stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("resourceType").equals("Observation")).findFirst().orElseThrow();
    assertThat(observation.getString("versionId")).isEqualTo("2");
    assertThat(observation.getJsonObject("resource").getJsonObject("valueQuantity").getInteger("value"))
        .isEqualTo(135);
  }

  @Test
  void aSecondConnectorMatchesTheSamePatientsByIdentifier() {
    importAndWait(create(oauth2()).getString("id"), false);
    JsonObject second = importAndWait(create(basic(LegacyEhr.PASSWORD)).getString("id"), false);
    assertThat(second.getJsonObject("counts").getJsonObject("Patient").getInteger("created")).isZero();
    assertThat(second.getJsonObject("counts").getJsonObject("Patient").getInteger("unchanged")).isEqualTo(2);
    assertThat(patientsOfTenant()).isEqualTo(2);
  }

  @Test
  void credentialsAreSealedAndNeverAnswered() {
    JsonObject connector = create(oauth2());
    assertThat(connector.getBoolean("hasSecret")).isTrue();
    assertThat(connector.encode()).doesNotContain(LegacyEhr.CLIENT_SECRET);
    String connectors = "/v1/tenants/" + clinic.tenant.id() + "/ehr-connectors";
    String listed = conformance.check("GET", connectors, expect(api.get(connectors, clinic.token(clinic.admin)), 200))
        .body();
    assertThat(listed).doesNotContain(LegacyEhr.CLIENT_SECRET);
    Map<String, Object> row = Sql.query(platform.superuser(clinic.tenant),
        "SELECT secret_sealed, auth::text AS auth FROM ehr_connector WHERE id = ?::uuid",
        connector.getString("id")).get(0);
    assertThat(new String((byte[]) row.get("secret_sealed"), StandardCharsets.ISO_8859_1))
        .doesNotContain(LegacyEhr.CLIENT_SECRET);
    assertThat((String) row.get("auth")).doesNotContain(LegacyEhr.CLIENT_SECRET).contains(LegacyEhr.CLIENT_ID);
  }

  @Test
  void aTransportFailureFailsTheJobAndKeepsTheCheckpoint() {
    JsonObject connector = create(basic("wrong-password"));
    String id = connector.getString("id");
    JsonObject failed = importAndWait(id, false);
    assertThat(failed.getString("status")).isEqualTo("failed");
    assertThat(failed.getString("failure")).contains("HTTP 401");
    assertThat(expect(api.get(path(id), clinic.token(clinic.admin)), 200).json().containsKey("checkpoint")).isFalse();

    JsonObject fixed = basic(LegacyEhr.PASSWORD);
    expect(api.put(path(id), clinic.token(clinic.admin), fixed), 200);
    assertThat(importAndWait(id, false).getString("status")).isEqualTo("succeeded");
  }

  @Test
  void anotherTenantCannotSeeOrRunTheConnectorAndOnlyAnAdminManagesIt() {
    String id = create(oauth2()).getString("id");
    Clinic other = Clinic.in("us");
    String otherPath = "/v1/tenants/" + other.tenant.id() + "/ehr-connectors/" + id;
    expect(api.get(otherPath, other.token(other.admin)), 404);
    expect(api.post(otherPath + "/imports", other.token(other.admin), null), 404);
    expect(api.put(otherPath, other.token(other.admin), oauth2()), 404);
    expect(api.delete(otherPath, other.token(other.admin)), 404);
    assertThat(expect(api.get("/v1/tenants/" + other.tenant.id() + "/ehr-connectors", other.token(other.admin)), 200)
        .items()).isEmpty();
    expect(api.get(path(id), other.token(other.admin)), 403);
    expect(api.get(path(id), clinic.token(clinic.doctor)), 403);
    expect(api.delete(path(id), clinic.token(clinic.admin)), 204);
    expect(api.get(path(id), clinic.token(clinic.admin)), 404);
  }

  @Test
  void aJobWhoseNodeStoppedIsReportedInterrupted() {
    String id = create(oauth2()).getString("id");
    String job = UUID.randomUUID().toString();
    Sql.update(platform.superuser(clinic.tenant), """
        INSERT INTO ehr_import_job (tenant_id, id, connector_id, status, started_by, started_at, heartbeat_at)
        VALUES (?::uuid, ?::uuid, ?::uuid, 'running', ?::uuid, now() - interval '1 hour', now() - interval '1 hour')""",
        clinic.tenant.id().toString(), job, id, UUID.randomUUID().toString());
    JsonObject read = expect(api.get(path(id) + "/imports/" + job, clinic.token(clinic.admin)), 200).json();
    assertThat(read.getString("status")).isEqualTo("interrupted");
    assertThat(importAndWait(id, false).getString("status")).isEqualTo("succeeded");
  }

  @Test
  void aClinicInItsOwnSchemaOrDatabaseImportsIntoItsOwnPlace() {
    for (IsolationTier tier : List.of(IsolationTier.SCHEMA, IsolationTier.DATABASE)) {
      clinic = Clinic.in("us", tier);
      JsonObject job = importAndWait(create(oauth2()).getString("id"), false);
      assertThat(job.getString("status")).isEqualTo("succeeded");
      assertThat(job.getJsonObject("counts").getJsonObject("Patient").getInteger("created")).isEqualTo(2);
      JsonArray found = expect(api.get("/v1/patients?name=Rivera", clinic.token(clinic.doctor)), 200).items();
      assertThat(found).hasSize(1);
      assertThat(imported(found.getJsonObject(0).getString("id"))).hasSize(2);
      for (String table : List.of("ehr_connector", "ehr_import_job", "ehr_import_record",
          "patient_external_identifier")) {
        assertThat(Sql.query(platform.superuser("us"), "SELECT count(*) AS n FROM " + table
            + " WHERE tenant_id = ?::uuid", clinic.tenant.id().toString()).get(0).get("n")).isEqualTo(0L);
      }
    }
  }

  private JsonObject create(JsonObject body) {
    String connectors = "/v1/tenants/" + clinic.tenant.id() + "/ehr-connectors";
    Api.Response created = conformance.check("POST", connectors, expect(api.post(connectors,
        clinic.token(clinic.admin), body), 201));
    assertThat(created.header("Location")).endsWith(created.json().getString("id"));
    return created.json();
  }

  private JsonObject oauth2() {
    return new JsonObject().put("name", "Legacy EHR").put("baseUrl", ehr.baseUrl())
        .put("auth", new JsonObject().put("type", "oauth2").put("tokenUrl", ehr.tokenUrl())
            .put("clientId", LegacyEhr.CLIENT_ID).put("clientSecret", LegacyEhr.CLIENT_SECRET)
            .put("scope", "system/*.read"));
  }

  private JsonObject basic(String password) {
    return new JsonObject().put("name", "Legacy EHR (basic)").put("baseUrl", ehr.baseUrl())
        .put("auth", new JsonObject().put("type", "basic").put("username", LegacyEhr.USER).put("password", password));
  }

  private String path(String connectorId) {
    return "/v1/tenants/" + clinic.tenant.id() + "/ehr-connectors/" + connectorId;
  }

  /** Starts an import and waits (generously) until it is no longer running. */
  private JsonObject importAndWait(String connectorId, boolean full) {
    String imports = path(connectorId) + "/imports";
    Api.Response started = conformance.check("POST", imports, expect(api.post(imports + (full ? "?full=true" : ""),
        clinic.token(clinic.admin), null), 202));
    String location = started.header("Location");
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      JsonObject job = conformance.check("GET", location, expect(api.get(location, clinic.token(clinic.admin)), 200))
          .json();
      if (!"running".equals(job.getString("status"))) {
        return job;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
    }
    throw new AssertionError("the import did not end in 90 s");
  }

  private static int changes(JsonObject job) {
    int total = 0;
    for (String type : job.getJsonObject("counts").fieldNames()) {
      JsonObject counts = job.getJsonObject("counts").getJsonObject(type);
      total += counts.getInteger("created") + counts.getInteger("updated");
    }
    return total;
  }

  private String localPatient(String connectorId, String remoteId) {
    return Sql.query(platform.superuser(clinic.tenant), """
        SELECT patient_id::text AS id FROM ehr_import_record
        WHERE connector_id = ?::uuid AND resource_type = 'Patient' AND remote_id = ?""", connectorId, remoteId)
        .get(0).get("id").toString();
  }

  private long patientsOfTenant() {
    return ((Number) Sql.query(platform.superuser(clinic.tenant),
        "SELECT count(*) AS n FROM patient WHERE tenant_id = ?::uuid", clinic.tenant.id().toString())
        .get(0).get("n")).longValue();
  }

  private JsonArray imported(String patientId) {
    String records = "/v1/patients/" + patientId + "/imported-records";
    return conformance.check("GET", records, expect(api.get(records, clinic.token(clinic.doctor)), 200)).items();
  }

  private static Patient patient(String id, String mrn, String family, String given, String born,
                                 Enumerations.AdministrativeGender gender) {
    Patient patient = new Patient();
    patient.setId(id);
    patient.addIdentifier().setSystem(LEGACY_MRN).setValue(mrn);
    patient.addName().setFamily(family).addGiven(given);
    patient.getBirthDateElement().setValueAsString(born);
    patient.setGender(gender);
    return patient;
  }

  private static Condition condition(String id, String patient, String icd10) {
    Condition condition = new Condition();
    condition.setId(id);
    condition.setSubject(new Reference("Patient/" + patient));
    condition.setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10-cm", icd10, null)));
    return condition;
  }

  private static Observation observation(String id, String patient, int systolic) {
    Observation observation = new Observation();
    observation.setId(id);
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.setSubject(new Reference("Patient/" + patient));
    observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "8480-6", "Systolic blood pressure")));
    observation.setValue(new Quantity().setValue(systolic).setUnit("mm[Hg]"));
    return observation;
  }

  private static MedicationRequest medication(String id, String patient, String rxnorm) {
    MedicationRequest request = new MedicationRequest();
    request.setId(id);
    request.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
    request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
    request.setSubject(new Reference("Patient/" + patient));
    request.setMedication(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", rxnorm, null)));
    return request;
  }
}
