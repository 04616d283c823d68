package io.caduceus.api.connector;

import io.caduceus.api.fhir.FhirValidation;
import io.caduceus.api.smart.SmartAppFixture;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Partner;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.IsolationTier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records imported from a legacy EHR (HAPI's plain server in Jetty, {@link LegacyEhr}) through the FHIR facade:
 * Condition, Observation and MedicationRequest searches list them with the native records in one order that pages
 * without duplicates or gaps, a read by id answers them as ours (our id, our patient, the source as meta.source and
 * identifier, nothing pointing into the source), valid FHIR; another tenant, another patient and a role that sees no
 * clinical data find nothing.
 */
class FhirImportedRecordsTest extends ClinicFixture {

  private static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");
  private static final String ORIGIN = "https://caduceus.health/fhir/CodeSystem/record-origin";
  private LegacyEhr ehr;
  private String connector;

  @BeforeEach
  void aLegacyEhrImported() throws Exception {
    ehr = new LegacyEhr();
    ehr.put(patient("p1", "L-1001", "Rivera", "Ana", "1975-04-02", Enumerations.AdministrativeGender.FEMALE));
    ehr.put(patient("p2", "L-1002", "Chen", "Wei", "1968-11-20", Enumerations.AdministrativeGender.MALE));
    ehr.put(condition("c1", "p1", "I10"));
    Condition diabetes = condition("c2", "p1", "E11.9");
    diabetes.setEncounter(new Reference("Encounter/e9"));
    diabetes.setAsserter(new Reference("Practitioner/pr1").setDisplay("Dr Old"));
    diabetes.getText().setStatus(Narrative.NarrativeStatus.GENERATED)
        .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\"><a href=\"http://legacy.example/x\">x</a></div>");
    ehr.put(diabetes);
    ehr.put(condition("c3", "p2", "J45"));
    ehr.put(observation("o1", "p1", 120, "2024-03-01T09:00:00Z"));
    ehr.put(observation("o2", "p1", 128, "2025-01-10T09:00:00Z"));
    ehr.put(observation("o3", "p2", 131, "2025-01-11T09:00:00Z"));
    ehr.put(medication("m1", "p1", "197361"));
    MedicationRequest withPrescriber = medication("m2", "p1", "861007");
    withPrescriber.setRequester(new Reference("Practitioner/pr1"));
    ehr.put(withPrescriber);
    ehr.put(medication("m3", "p2", "197361"));
    MedicationRequest compounded = medication("m4", "p2", "197361");
    compounded.setMedication(new Reference("Medication/med7"));
    ehr.put(compounded);
    connector = createConnector();
    assertThat(importAndWait(false).getString("status")).isEqualTo("succeeded");
  }

  @AfterEach
  void stop() throws Exception {
    ehr.close();
  }

  @Test
  void importedRecordsAreListedWithTheNativeOnesAndPageWithoutDuplicatesOrGaps() {
    String rivera = localPatient("p1");
    String doctor = clinic.token(clinic.doctor);
    nativeVisit(rivera);

    List<JsonObject> conditions = all("/Condition?patient=" + rivera + "&_count=1", doctor);
    assertThat(conditions).hasSize(3);
    assertThat(conditions.stream().map(FhirImportedRecordsTest::origin)).containsExactlyInAnyOrder("c1", "c2", null);
    assertThat(ids(conditions)).isEqualTo(ids(all("/Condition?patient=" + rivera, doctor)));
    assertThat(ids(all("/Condition?patient=" + rivera + "&_include=Condition:encounter&_include=Condition:patient",
        doctor))).isEqualTo(ids(conditions));
    JsonObject c2 = conditions.stream().filter(c -> "c2".equals(origin(c))).findFirst().orElseThrow();
    assertThat(c2.getJsonObject("subject").getString("reference")).isEqualTo("Patient/" + rivera);
    assertThat(c2.getJsonObject("meta").getString("source")).isEqualTo(ehr.baseUrl());
    assertThat(c2.getJsonObject("meta").getJsonArray("tag").getJsonObject(0).getString("system")).isEqualTo(ORIGIN);
    assertThat(c2.getJsonArray("identifier").getJsonObject(0).getString("system")).isEqualTo(ehr.baseUrl());
    assertThat(c2.containsKey("encounter")).isFalse();
    assertThat(c2.containsKey("text")).isFalse();
    assertThat(c2.getJsonObject("asserter")).isEqualTo(new JsonObject().put("display", "Dr Old"));
    assertThat(c2.encode()).doesNotContain("Practitioner/pr1", "Encounter/e9", "legacy.example", "Patient/p1");

    List<JsonObject> observations = all("/Observation?subject=Patient/" + rivera + "&_count=1", doctor);
    assertThat(observations.stream().map(FhirImportedRecordsTest::origin)).contains("o1", "o2")
        .doesNotContain("o3");
    assertThat(observations.size()).isGreaterThan(2);
    assertThat(ids(observations)).isEqualTo(ids(all("/Observation?patient=" + rivera + "&_count=100", doctor)));

    assertThat(all("/Condition?patient=" + rivera + "&code=http://hl7.org/fhir/sid/icd-10-cm%7CI10", doctor).stream()
        .map(FhirImportedRecordsTest::origin)).containsExactly("c1");
    assertThat(all("/Condition?patient=" + rivera + "&code=J20.9", doctor)).hasSize(1)
        .allSatisfy(c -> assertThat(origin(c)).isNull());
    assertThat(all("/Observation?patient=" + rivera + "&code=http://loinc.org%7C8480-6&date=ge2025-01-01", doctor)
        .stream().map(FhirImportedRecordsTest::origin)).contains("o2").doesNotContain("o1");
    assertThat(all("/Observation?patient=" + rivera + "&date=lt2000-01-01", doctor)).isEmpty();
    assertThat(all("/Condition?patient=" + rivera + "&encounter=Encounter/" + UUID.randomUUID(), doctor)).isEmpty();

    // _summary=count counts both sources, under the same filters as the listing.
    assertThat(total("/Condition?patient=" + rivera + "&_summary=count", doctor)).isEqualTo(conditions.size());
    assertThat(total("/Observation?patient=" + rivera + "&_summary=count", doctor)).isEqualTo(observations.size());
    assertThat(total("/Condition?patient=" + rivera + "&code=http://hl7.org/fhir/sid/icd-10-cm%7CI10&_summary=count",
        doctor)).isEqualTo(1);
  }

  private int total(String search, String token) {
    JsonObject bundle = read(search, token, 200).json();
    assertThat(bundle.getJsonArray("entry", new JsonArray())).isEmpty();
    return bundle.getInteger("total");
  }

  @Test
  void medicationRequestsOfBothSourcesPageOldestFirst() {
    String rivera = localPatient("p1");
    Partner pharmacy = Partner.pharmacy("us");
    pharmacy.linkTo(clinic);
    String doctor = clinic.token(clinic.doctor);
    String prescribed = expect(api.post("/v1/prescriptions", doctor, new JsonObject().put("patientId", rivera)
        .put("pharmacyTenantId", pharmacy.tenant.id().toString())
        .put("medication", new JsonObject().put("rxnorm", "243670").put("display", "aspirin 81 MG Oral Tablet"))
        .put("dose", "1 tablet").put("frequency", "once daily").put("quantity", 30).put("refills", 0)
        .put("daysSupply", 30)), 201).json().getString("id");

    List<JsonObject> requests = all("/MedicationRequest?patient=" + rivera + "&_count=1", doctor);
    assertThat(requests.stream().map(FhirImportedRecordsTest::origin)).containsExactly("m1", "m2", null);
    assertThat(requests.get(2).getString("id")).isEqualTo(prescribed);
    assertThat(requests.get(1).getJsonObject("requester")).isNull();
    assertThat(all("/MedicationRequest?patient=" + rivera + "&code=861007", doctor).stream()
        .map(FhirImportedRecordsTest::origin)).containsExactly("m2");
    assertThat(all("/MedicationRequest?patient=" + rivera + "&status=completed", doctor)).isEmpty();
    assertThat(all("/MedicationRequest?patient=" + rivera + "&status=active", doctor)).hasSize(3);
    assertThat(total("/MedicationRequest?patient=" + rivera + "&_summary=count", doctor)).isEqualTo(3);
    assertThat(total("/MedicationRequest?patient=" + rivera + "&code=861007&_summary=count", doctor)).isEqualTo(1);
  }

  @Test
  void aReadByIdAnswersTheImportedRecordAsOursAndAReimportChangesItsVersionOnly() {
    String rivera = localPatient("p1");
    String doctor = clinic.token(clinic.doctor);
    for (String type : List.of("Condition", "Observation", "MedicationRequest")) {
      for (JsonObject found : all("/" + type + "?patient=" + rivera, doctor)) {
        Api.Response read = read("/" + type + "/" + found.getString("id"), doctor, 200);
        assertThat(read.header("ETag")).isEqualTo("W/\"1\"");
        assertThat(read.json().getString("id")).isEqualTo(found.getString("id"));
        assertThat(read.json().getJsonObject("meta").getString("source")).isEqualTo(ehr.baseUrl());
      }
    }
    JsonObject m4 = read("/MedicationRequest/" + idOf("MedicationRequest", "m4"), doctor, 200).json();
    assertThat(m4.getJsonObject("medicationReference"))
        .isEqualTo(new JsonObject().put("display", "A medication of the source record"));
    String o1 = idOf("Observation", "o1");
    long audited = auditRowsOf(rivera);
    read("/Observation/" + o1, doctor, 200);
    assertThat(auditRowsOf(rivera)).isEqualTo(audited + 1);

    int before = all("/Observation?patient=" + rivera, doctor).size();
    ehr.put(observation("o1", "p1", 135, "2024-03-01T09:00:00Z"));
    assertThat(importAndWait(true).getString("status")).isEqualTo("succeeded");
    assertThat(all("/Observation?patient=" + rivera, doctor)).hasSize(before);
    assertThat(all("/Condition?patient=" + rivera, doctor)).hasSize(2);
    Api.Response changed = read("/Observation/" + o1, doctor, 200);
    assertThat(changed.header("ETag")).isEqualTo("W/\"2\"");
    assertThat(changed.json().getJsonObject("valueQuantity").getInteger("value")).isEqualTo(135);
  }

  @Test
  void anotherTenantAnotherPatientOrARoleWithoutClinicalReadFindsNothing() {
    String rivera = localPatient("p1");
    String chen = localPatient("p2");
    String c1 = idOf("Condition", "c1");
    String o1 = idOf("Observation", "o1");
    String m1 = idOf("MedicationRequest", "m1");

    Clinic other = Clinic.in("us");
    String stranger = other.token(other.doctor);
    read("/Condition/" + c1, stranger, 404);
    read("/Observation/" + o1, stranger, 404);
    read("/MedicationRequest/" + m1, stranger, 404);
    assertThat(all("/Condition?patient=" + rivera, stranger)).isEmpty();
    assertThat(all("/Observation?_count=100", stranger)).isEmpty();
    assertThat(all("/MedicationRequest?patient=" + rivera, stranger)).isEmpty();

    String ownToken = clinic.token(platform.patientAccount(clinic.tenant, UUID.fromString(rivera)));
    assertThat(all("/Condition?patient=" + rivera, ownToken)).hasSize(2);
    read("/Observation/" + o1, ownToken, 200);

    String scopes = "launch/patient patient/Encounter.rs patient/Condition.rs patient/Observation.rs"
        + " patient/MedicationRequest.rs";
    SmartAppFixture app = SmartAppFixture.register(api, clinic, scopes.split(" "));
    String smart = app.token(scopes,
        clinic.token(platform.patientAccount(clinic.tenant, UUID.fromString(chen))));
    assertThat(all("/Condition?patient=" + chen, smart).stream().map(FhirImportedRecordsTest::origin))
        .containsExactly("c3");
    read("/Condition/" + c1, smart, 404);
    read("/Observation/" + o1, smart, 404);
    read("/MedicationRequest/" + m1, smart, 404);
    assertThat(all("/Condition?patient=" + rivera, smart)).isEmpty();
    assertThat(all("/Observation?_count=100", smart).stream().map(FhirImportedRecordsTest::origin))
        .containsExactly("o3");

    expect(api.send("GET", "/fhir/r4/Condition?patient=" + rivera, clinic.token(clinic.desk), null, FHIR), 403);
    read("/Condition/" + c1, clinic.token(clinic.desk), 403);
    String accountant = clinic.token(platform.user(clinic.tenant, "accountant"));
    assertThat(all("/Condition?patient=" + rivera, accountant)).isEmpty();
    read("/Condition/" + c1, accountant, 404);
    String labTechnician = clinic.token(platform.user(clinic.tenant, "lab_technician"));
    assertThat(all("/Observation?patient=" + rivera, labTechnician)).isEmpty();
    read("/Observation/" + o1, labTechnician, 404);
  }

  @Test
  void aClinicInItsOwnSchemaOrDatabaseSearchesItsOwnImportedRecords() {
    for (IsolationTier tier : List.of(IsolationTier.SCHEMA, IsolationTier.DATABASE)) {
      clinic = Clinic.in("us", tier);
      connector = createConnector();
      assertThat(importAndWait(false).getString("status")).isEqualTo("succeeded");
      String doctor = clinic.token(clinic.doctor);
      String rivera = expect(api.get("/v1/patients?name=Rivera", doctor), 200).items().getJsonObject(0).getString("id");
      assertThat(all("/Observation?patient=" + rivera + "&date=ge2025-01-01&_count=1", doctor).stream()
          .map(FhirImportedRecordsTest::origin)).containsExactly("o2");
      assertThat(all("/Condition?code=E11.9,I10&_count=1", doctor).stream().map(FhirImportedRecordsTest::origin))
          .containsExactly("c2", "c1");
      assertThat(all("/MedicationRequest?intent=order&_lastUpdated=ge2020-01-01", doctor)).hasSize(4);
      String chen = expect(api.get("/v1/patients?name=Chen", doctor), 200).items().getJsonObject(0).getString("id");
      JsonObject c3 = all("/Condition?subject=Patient/" + chen, doctor).get(0);
      assertThat(read("/Condition/" + c3.getString("id"), doctor, 200).json()).isEqualTo(c3);
    }
  }

  /** A visit of the patient through /v1 with a diagnosis and a blood pressure: native records beside the imported. */
  private void nativeVisit(String patientId) {
    String doctor = clinic.token(clinic.doctor);
    String appointment = clinic.appointment(patientId).getString("id");
    String encounter = expect(api.post("/v1/encounters", doctor, new JsonObject().put("appointmentId", appointment)),
        201).json().getString("id");
    expect(api.post("/v1/encounters/" + encounter + "/vitals", doctor, new JsonObject().put("vitals", new JsonArray()
        .add(new JsonObject().put("code", "8867-4").put("value", 72).put("unit", "/min")))), 200);
    expect(api.post("/v1/encounters/" + encounter + "/vitals", doctor, new JsonObject().put("vitals", new JsonArray()
        .add(new JsonObject().put("code", "29463-7").put("value", 70).put("unit", "kg")))), 200);
    expect(api.post("/v1/encounters/" + encounter + "/diagnoses", doctor, new JsonObject().put("code", "J20.9")
        .put("display", "Acute bronchitis, unspecified")), 200);
  }

  /** Every match of a search, following its next links; each page and each match validates. */
  private List<JsonObject> all(String search, String token) {
    List<JsonObject> found = new ArrayList<>();
    String next = search;
    for (int pages = 0; next != null; pages++) {
      assertThat(pages).as("pages of %s", search).isLessThan(50);
      JsonObject bundle = read(next, token, 200).json();
      for (Object e : bundle.getJsonArray("entry", new JsonArray())) {
        JsonObject entry = (JsonObject) e;
        if ("match".equals(entry.getJsonObject("search").getString("mode"))) {
          FhirValidation.assertValid(entry.getJsonObject("resource").encode());
          found.add(entry.getJsonObject("resource"));
        }
      }
      next = null;
      for (Object l : bundle.getJsonArray("link", new JsonArray())) {
        JsonObject link = (JsonObject) l;
        if ("next".equals(link.getString("relation"))) {
          String url = link.getString("url");
          next = url.substring(url.indexOf("/fhir/r4") + "/fhir/r4".length());
        }
      }
    }
    assertThat(new HashSet<>(ids(found))).as("no duplicates in %s", search).hasSameSizeAs(found);
    return found;
  }

  private Api.Response read(String path, String token, int status) {
    Api.Response response = expect(api.send("GET", "/fhir/r4" + path, token, null, FHIR), status);
    FhirValidation.assertValid(response.body());
    return response;
  }

  private static List<String> ids(List<JsonObject> resources) {
    return resources.stream().map(r -> r.getString("id")).toList();
  }

  /** The source's id of an imported resource (its identifier from the connector), null for a native one. */
  private static String origin(JsonObject resource) {
    JsonObject meta = resource.getJsonObject("meta", new JsonObject());
    boolean imported = meta.getJsonArray("tag", new JsonArray()).stream()
        .anyMatch(t -> ORIGIN.equals(((JsonObject) t).getString("system")));
    return imported ? resource.getJsonArray("identifier").getJsonObject(0).getString("value") : null;
  }

  private long auditRowsOf(String patientId) {
    return ((Number) Sql.query(platform.superuser(clinic.tenant), """
        SELECT count(*) AS n FROM audit_event WHERE tenant_id = ?::uuid AND ?::uuid = ANY(patient_ids)""",
        clinic.tenant.id().toString(), patientId).get(0).get("n")).longValue();
  }

  private String idOf(String type, String remoteId) {
    return Sql.query(platform.superuser(clinic.tenant), """
        SELECT id::text AS id FROM ehr_import_record
        WHERE connector_id = ?::uuid AND resource_type = ? AND remote_id = ?""", connector, type, remoteId)
        .get(0).get("id").toString();
  }

  private String localPatient(String remoteId) {
    return Sql.query(platform.superuser(clinic.tenant), """
        SELECT patient_id::text AS id FROM ehr_import_record
        WHERE connector_id = ?::uuid AND resource_type = 'Patient' AND remote_id = ?""", connector, remoteId)
        .get(0).get("id").toString();
  }

  private String createConnector() {
    String connectors = "/v1/tenants/" + clinic.tenant.id() + "/ehr-connectors";
    return expect(api.post(connectors, clinic.token(clinic.admin), new JsonObject().put("name", "Legacy EHR")
        .put("baseUrl", ehr.baseUrl()).put("auth", new JsonObject().put("type", "basic")
            .put("username", LegacyEhr.USER).put("password", LegacyEhr.PASSWORD))), 201).json().getString("id");
  }

  /** Starts an import and waits (generously) until it is no longer running. */
  private JsonObject importAndWait(boolean full) {
    String imports = "/v1/tenants/" + clinic.tenant.id() + "/ehr-connectors/" + connector + "/imports";
    String location = expect(api.post(imports + (full ? "?full=true" : ""), clinic.token(clinic.admin), null), 202)
        .header("Location");
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      JsonObject job = expect(api.get(location, clinic.token(clinic.admin)), 200).json();
      if (!"running".equals(job.getString("status"))) {
        return job;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
    }
    throw new AssertionError("the import did not end in 90 s");
  }

  private static Patient patient(String id, String mrn, String family, String given, String born,
                                 Enumerations.AdministrativeGender gender) {
    Patient patient = new Patient();
    patient.setId(id);
    patient.addIdentifier().setSystem("urn:oid:2.16.840.1.113883.19.5.99999.1").setValue(mrn);
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

  private static Observation observation(String id, String patient, int systolic, String effective) {
    Observation observation = new Observation();
    observation.setId(id);
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.setSubject(new Reference("Patient/" + patient));
    observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "8480-6", "Systolic blood pressure")));
    observation.setEffective(new DateTimeType(effective));
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
