package io.caduceus.api.prescription;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.fhir.FhirValidation;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code MedicationRequest} and {@code MedicationDispense} over the prescription services: valid FHIR on both sides
 * of the clinic-to-pharmacy journey, each side seeing only its own copy, the search parameters, and isolation from
 * other tenants (in every tier) and other patients.
 */
class FhirMedicationTest {

  private static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");
  private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void eachSideOfAFilledPrescriptionSeesItsOwnCopyAsValidFhirAndNeverTheOthers() {
    Prescribing rx = new Prescribing("Fhir", "Fiona");
    String clinicCopy = rx.prescribe(Prescribing.METFORMIN, "metformin 500 MG Oral Tablet", 1).getString("id");
    String pharmacyCopy = rx.atPharmacy(Prescribing.METFORMIN).getString("id");
    expect(rx.dispense(pharmacyCopy, "LOT-F1", 30), 200);
    rx.atClinic(clinicCopy, "dispensed");

    JsonObject request = read("MedicationRequest", clinicCopy, rx.doctor());
    assertThat(request.getString("status")).isEqualTo("active");
    assertThat(request.getString("intent")).isEqualTo("order");
    JsonObject coding = request.getJsonObject("medicationCodeableConcept").getJsonArray("coding").getJsonObject(0);
    assertThat(coding.getString("system")).isEqualTo(RXNORM);
    assertThat(coding.getString("code")).isEqualTo(Prescribing.METFORMIN);
    assertThat(request.getJsonObject("subject").getString("reference")).isEqualTo("Patient/" + rx.patientId);

    JsonObject pharmacyRequest = read("MedicationRequest", pharmacyCopy, rx.pharmacist());
    assertThat(pharmacyRequest.encode()).doesNotContain(clinicCopy).doesNotContain(rx.patientId);
    JsonObject fill = only(search("MedicationDispense?prescription=MedicationRequest/" + pharmacyCopy,
        rx.pharmacist()));
    assertThat(fill.getJsonArray("authorizingPrescription").getJsonObject(0).getString("reference"))
        .isEqualTo("MedicationRequest/" + pharmacyCopy);
    assertThat(fill.encode()).doesNotContain(clinicCopy);
    assertThat(read("MedicationDispense", fill.getString("id"), rx.pharmacist()).getString("status"))
        .isEqualTo("completed");

    JsonObject learned = only(search("MedicationDispense?patient=" + rx.patientId, rx.doctor()));
    assertThat(learned.getJsonArray("authorizingPrescription").getJsonObject(0).getString("reference"))
        .isEqualTo("MedicationRequest/" + clinicCopy);
    assertThat(learned.encode()).doesNotContain(pharmacyCopy);

    notFound("MedicationRequest", pharmacyCopy, rx.doctor());
    notFound("MedicationRequest", clinicCopy, rx.pharmacist());
    notFound("MedicationDispense", fill.getString("id"), rx.doctor());
    notFound("MedicationDispense", learned.getString("id"), rx.pharmacist());
  }

  @Test
  void searchParametersNarrowAndAStatusOrIntentTheRecordsNeverHaveFindsNothing() {
    Prescribing rx = new Prescribing("Search", "Sam");
    String metformin = rx.prescribe(Prescribing.METFORMIN, "metformin 500 MG Oral Tablet", 0).getString("id");
    String aspirin = rx.prescribe(Prescribing.ASPIRIN, "aspirin 81 MG Oral Tablet", 0).getString("id");
    expect(api.post("/v1/prescriptions/" + aspirin + "/cancel", rx.doctor(), new JsonObject().put("reason", "no")),
        200);
    String doctor = rx.doctor();
    String today = LocalDate.now(ZoneOffset.UTC).toString();

    assertThat(ids(search("MedicationRequest?patient=Patient/" + rx.patientId, doctor))).containsExactly(metformin,
        aspirin);
    assertThat(ids(search("MedicationRequest?subject=" + rx.patientId + "&status=active", doctor)))
        .containsExactly(metformin);
    assertThat(ids(search("MedicationRequest?status=cancelled,completed&patient=" + rx.patientId, doctor)))
        .containsExactly(aspirin);
    assertThat(ids(search("MedicationRequest?code=" + RXNORM + "%7C" + Prescribing.ASPIRIN, doctor)))
        .containsExactly(aspirin);
    assertThat(ids(search("MedicationRequest?code=http://snomed.info/sct%7C" + Prescribing.ASPIRIN, doctor))).isEmpty();
    assertThat(ids(search("MedicationRequest?intent=order&authoredon=ge" + today, doctor))).hasSize(2);
    assertThat(ids(search("MedicationRequest?intent=plan", doctor))).isEmpty();
    assertThat(ids(search("MedicationRequest?authoredon=lt2000-01-01", doctor))).isEmpty();
    assertThat(ids(search("MedicationRequest?_lastUpdated=gt" + LocalDate.now(ZoneOffset.UTC).plusDays(1), doctor))).isEmpty();
    assertThat(ids(search("MedicationRequest?patient=Patient/" + UUID.randomUUID(), doctor))).isEmpty();
    assertThat(search("MedicationRequest?_summary=count&patient=" + rx.patientId, doctor).getInteger("total"))
        .isEqualTo(2);
    assertThat(search("MedicationRequest?_summary=count&status=active&patient=" + rx.patientId, doctor)
        .getInteger("total")).isEqualTo(1);

    JsonObject first = expect(api.send("GET", "/fhir/r4/MedicationRequest?_count=1", doctor, null, FHIR), 200).json();
    assertThat(ids(first)).containsExactly(metformin);
    String next = link(first, "next");
    JsonObject second = expect(api.send("GET", next.substring(next.indexOf("/fhir/r4")), doctor, null, FHIR), 200)
        .json();
    assertThat(ids(second)).containsExactly(aspirin);
    expect(api.send("GET", "/fhir/r4/MedicationRequest?dosage=x", doctor, null, FHIR), 400);
  }

  @Test
  void otherTenantsInEveryTierAndOtherPatientsFindNothing() {
    Prescribing rx = new Prescribing("Mine", "Maya");
    String mine = rx.prescribe(Prescribing.METFORMIN, "metformin 500 MG Oral Tablet", 0).getString("id");
    String otherPatient = rx.clinic.patient("Theirs", "Theo").getString("id");
    String theirs = expect(api.post("/v1/prescriptions", rx.doctor(), rx.body(Prescribing.ASPIRIN, "aspirin", 0)
        .put("patientId", otherPatient)), 201).json().getString("id");
    String pharmacyCopy = rx.atPharmacy(Prescribing.METFORMIN).getString("id");
    expect(rx.dispense(pharmacyCopy, "LOT-I1", 30), 200);
    expect(rx.dispense(rx.atPharmacy(Prescribing.ASPIRIN).getString("id"), "LOT-I2", 30), 200);
    String fill = ids(search("MedicationDispense", rx.pharmacist())).get(0);
    List<String> learned = Await.until(() -> ids(search("MedicationDispense", rx.doctor())), f -> f.size() == 2);

    String patient = platform.token(platform.patientAccount(rx.clinic.tenant, UUID.fromString(rx.patientId)));
    assertThat(ids(search("MedicationRequest", patient))).containsExactly(mine);
    assertThat(ids(search("MedicationRequest?patient=" + otherPatient, patient))).isEmpty();
    read("MedicationRequest", mine, patient);
    notFound("MedicationRequest", theirs, patient);
    List<String> myFills = ids(search("MedicationDispense", patient));
    assertThat(myFills).hasSize(1).isSubsetOf(learned);
    assertThat(read("MedicationDispense", myFills.get(0), patient).getJsonObject("subject").getString("reference"))
        .isEqualTo("Patient/" + rx.patientId);
    notFound("MedicationDispense", learned.stream().filter(f -> !myFills.contains(f)).findFirst().orElseThrow(),
        patient);

    for (IsolationTier tier : List.of(IsolationTier.SHARED, IsolationTier.SCHEMA, IsolationTier.DATABASE)) {
      Clinic other = Clinic.in("us", tier);
      String doctor = other.token(other.doctor);
      notFound("MedicationRequest", mine, doctor);
      notFound("MedicationRequest", pharmacyCopy, doctor);
      notFound("MedicationDispense", fill, doctor);
      assertThat(ids(search("MedicationRequest?patient=" + rx.patientId, doctor))).isEmpty();
      assertThat(ids(search("MedicationDispense", doctor))).isEmpty();
    }
  }

  private JsonObject read(String type, String id, String token) {
    Api.Response r = expect(api.send("GET", "/fhir/r4/" + type + "/" + id, token, null, FHIR), 200);
    FhirValidation.assertValid(r.body());
    JsonObject resource = r.json();
    assertThat(resource.getString("resourceType")).isEqualTo(type);
    assertThat(resource.getString("id")).isEqualTo(id);
    return resource;
  }

  private void notFound(String type, String id, String token) {
    Api.Response r = expect(api.send("GET", "/fhir/r4/" + type + "/" + id, token, null, FHIR), 404);
    assertThat(r.json().getString("resourceType")).isEqualTo("OperationOutcome");
  }

  /** A search's Bundle, each entry validated. */
  private JsonObject search(String query, String token) {
    Api.Response r = expect(api.send("GET", "/fhir/r4/" + query, token, null, FHIR), 200);
    FhirValidation.assertValid(r.body());
    return r.json();
  }

  private static List<String> ids(JsonObject bundle) {
    return bundle.getJsonArray("entry", new JsonArray()).stream().map(JsonObject.class::cast)
        .map(e -> e.getJsonObject("resource").getString("id")).toList();
  }

  private static JsonObject only(JsonObject bundle) {
    JsonArray entries = bundle.getJsonArray("entry", new JsonArray());
    assertThat(entries).hasSize(1);
    return entries.getJsonObject(0).getJsonObject("resource");
  }

  private static String link(JsonObject bundle, String relation) {
    return bundle.getJsonArray("link").stream().map(JsonObject.class::cast)
        .filter(l -> relation.equals(l.getString("relation"))).findFirst().orElseThrow().getString("url");
  }
}
