package io.caduceus.api.fhir;

import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.AuditRows;
import io.caduceus.api.testing.ClinicFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.caduceus.api.fhir.FhirChart.codes;
import static io.caduceus.api.fhir.FhirChart.get;
import static io.caduceus.api.fhir.FhirChart.matches;
import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Encounter, Observation (vital signs), Condition and Procedure: read and searched as valid FHIR, per role. */
class FhirClinicalTest extends ClinicFixture {

  @Test
  void aDocumentedVisitReadsAsValidFhirResources() {
    FhirChart chart = FhirChart.visit(clinic, "Delgado", true);
    String doctor = clinic.token(clinic.doctor);

    JsonObject encounter = get(api, "/Encounter/" + chart.encounter, doctor, 200).json();
    assertThat(encounter.getString("status")).isEqualTo("finished");
    assertThat(encounter.getJsonObject("subject").getString("reference")).isEqualTo("Patient/" + chart.patient);
    assertThat(encounter.getJsonArray("participant").getJsonObject(0).getJsonObject("individual")
        .getString("reference")).isEqualTo("Practitioner/" + clinic.practitionerId);

    List<JsonObject> vitals = matches(api, "/Observation?patient=" + chart.patient + "&category=vital-signs", doctor);
    assertThat(vitals).extracting(o -> codes(o).get(0)).containsExactly("29463-7", "8867-4", "85354-9");
    JsonObject bp = vitals.get(2);
    assertThat(bp.getJsonObject("meta").getJsonArray("profile"))
        .contains("http://hl7.org/fhir/StructureDefinition/bp");
    assertThat(bp.getJsonArray("component")).hasSize(2);
    assertThat(bp.getJsonArray("component").getJsonObject(0).getJsonObject("valueQuantity").getDouble("value"))
        .isEqualTo(120.0);
    assertThat(bp.getJsonArray("component").getJsonObject(1).getJsonObject("valueQuantity").getString("code"))
        .isEqualTo("mm[Hg]");
    JsonObject read = get(api, "/Observation/" + bp.getString("id"), doctor, 200).json();
    assertThat(read.getString("status")).isEqualTo("final");
    assertThat(read.getJsonObject("encounter").getString("reference")).isEqualTo("Encounter/" + chart.encounter);

    JsonObject condition = matches(api, "/Condition?subject=Patient/" + chart.patient, doctor).get(0);
    assertThat(condition.getJsonObject("code").getJsonArray("coding").getJsonObject(0).getString("system"))
        .isEqualTo("http://hl7.org/fhir/sid/icd-10");
    get(api, "/Condition/" + condition.getString("id"), doctor, 200);
    JsonObject procedure = matches(api, "/Procedure?patient=" + chart.patient, doctor).get(0);
    assertThat(codes(procedure)).containsExactly("99213");
    get(api, "/Procedure/" + procedure.getString("id"), doctor, 200);
  }

  @Test
  void searchesFilterByEveryParameter() {
    FhirChart chart = FhirChart.visit(clinic, "Search", false);
    FhirChart other = FhirChart.visit(clinic, "Second", true);
    String nurse = clinic.token(clinic.nurse);
    String p = chart.patient;

    assertThat(matches(api, "/Observation?patient=" + p + "&code=http://loinc.org%7C8867-4", nurse)).hasSize(1);
    assertThat(matches(api, "/Observation?patient=" + p + "&code=85354-9", nurse)).hasSize(1);
    assertThat(matches(api, "/Observation?patient=" + p + "&code=http://snomed.info/sct%7C8867-4", nurse)).isEmpty();
    assertThat(matches(api, "/Observation?encounter=Encounter/" + other.encounter, nurse)).hasSize(3);
    assertThat(matches(api, "/Observation?patient=" + p + "&date=ge2020-01-01&date=lt2100-01-01", nurse)).hasSize(3);
    assertThat(matches(api, "/Observation?patient=" + p + "&date=gt2100-01-01", nurse)).isEmpty();
    assertThat(matches(api, "/Observation?patient=" + p + "&_lastUpdated=lt2000-01-01", nurse)).isEmpty();
    assertThat(matches(api, "/Observation?patient=" + p + "," + other.patient, nurse)).hasSize(6);
    assertThat(matches(api, "/Observation?patient=not-an-id", nurse)).isEmpty();

    assertThat(matches(api, "/Encounter?patient=" + p + "&status=in-progress", nurse)).hasSize(1);
    assertThat(matches(api, "/Encounter?patient=" + p + "&status=finished", nurse)).isEmpty();
    assertThat(matches(api, "/Encounter?practitioner=Practitioner/" + clinic.practitionerId + "&date=ge2020", nurse))
        .hasSize(2);
    assertThat(matches(api, "/Encounter?_lastUpdated=lt2000-01-01", nurse)).isEmpty();
    assertThat(matches(api, "/Condition?patient=" + p + "&code=J20.9&clinical-status=active", nurse)).hasSize(1);
    assertThat(matches(api, "/Condition?patient=" + p + "&clinical-status=resolved", nurse)).isEmpty();
    assertThat(matches(api, "/Condition?encounter=" + other.encounter, nurse)).hasSize(1);
    assertThat(matches(api, "/Procedure?patient=" + p + "&code=http://www.ama-assn.org/go/cpt%7C99213&date=ge2020",
        nurse)).hasSize(1);
    assertThat(matches(api, "/Procedure?patient=" + p + "&code=99214", nurse)).isEmpty();

    expect(api.send("GET", "/fhir/r4/Observation?name=x", nurse, null, FhirChart.FHIR), 400);
    expect(api.send("GET", "/fhir/r4/Observation?code:text=x", nurse, null, FhirChart.FHIR), 400);
    expect(api.send("GET", "/fhir/r4/Encounter?date=ne2020", nurse, null, FhirChart.FHIR), 400);
  }

  @Test
  void searchesPageWithNextLinks() {
    FhirChart chart = FhirChart.visit(clinic, "Pages", false);
    String doctor = clinic.token(clinic.doctor);
    String path = "/Observation?patient=" + chart.patient + "&_count=2";
    JsonObject first = get(api, path, doctor, 200).json();
    assertThat(first.getJsonArray("entry")).hasSize(2);
    String next = FhirChart.next(first);
    assertThat(next).isNotNull();
    JsonObject second = get(api, next, doctor, 200).json();
    assertThat(second.getJsonArray("entry")).hasSize(1);
    assertThat(FhirChart.next(second)).isNull();
    assertThat(second.encode()).doesNotContain(first.getJsonArray("entry").getJsonObject(0).getJsonObject("resource")
        .getString("id"));
    expect(api.send("GET", "/fhir/r4/Condition?patient=" + chart.patient + "&_cursor="
        + next.substring(next.indexOf("_cursor=") + 8), doctor, null, FhirChart.FHIR), 400);
  }

  @Test
  void eachRoleSeesWhatV1ShowsIt() {
    FhirChart chart = FhirChart.visit(clinic, "Roles", true);
    String desk = clinic.token(clinic.desk);
    String bp = matches(api, "/Observation?patient=" + chart.patient, clinic.token(clinic.doctor)).get(2)
        .getString("id");
    get(api, "/Encounter/" + chart.encounter, desk, 200);
    get(api, "/Observation/" + bp, desk, 403);
    get(api, "/Observation?patient=" + chart.patient, desk, 403);
    get(api, "/Condition?patient=" + chart.patient, desk, 403);
    get(api, "/Procedure?patient=" + chart.patient, desk, 403);

    TestUser accountant = platform.user(clinic.tenant, "accountant");
    String billing = platform.token(accountant);
    assertThat(matches(api, "/Condition?patient=" + chart.patient, billing)).hasSize(1);
    assertThat(matches(api, "/Procedure?patient=" + chart.patient, billing)).hasSize(1);
    get(api, "/Observation?patient=" + chart.patient + "&category=vital-signs", billing, 403);
  }

  @Test
  void aPatientSeesOnlyTheirOwnSignedRecords() {
    FhirChart signed = FhirChart.visit(clinic, "Mine", true);
    FhirChart theirs = FhirChart.visit(clinic, "Theirs", true);
    String me = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(signed.patient)));
    String doctor = clinic.token(clinic.doctor);

    assertThat(matches(api, "/Observation", me)).hasSize(3)
        .allMatch(o -> o.getJsonObject("subject").getString("reference").equals("Patient/" + signed.patient));
    assertThat(matches(api, "/Observation?patient=" + theirs.patient, me)).isEmpty();
    assertThat(matches(api, "/Encounter", me)).extracting(e -> e.getString("id")).containsExactly(signed.encounter);
    assertThat(matches(api, "/Condition", me)).hasSize(1);
    assertThat(matches(api, "/Procedure", me)).hasSize(1);
    get(api, "/Encounter/" + theirs.encounter, me, 404);
    String theirVital = matches(api, "/Observation?patient=" + theirs.patient, doctor).get(0).getString("id");
    String theirCondition = matches(api, "/Condition?patient=" + theirs.patient, doctor).get(0).getString("id");
    get(api, "/Observation/" + theirVital, me, 404);
    get(api, "/Condition/" + theirCondition, me, 404);
  }

  @Test
  void aPatientDoesNotSeeAnUnsignedVisit() {
    FhirChart open = FhirChart.visit(clinic, "Open", false);
    String me = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(open.patient)));
    String vital = matches(api, "/Observation?patient=" + open.patient, clinic.token(clinic.doctor)).get(0)
        .getString("id");
    assertThat(matches(api, "/Observation", me)).isEmpty();
    assertThat(matches(api, "/Encounter?status=in-progress", me)).isEmpty();
    assertThat(matches(api, "/Condition", me)).isEmpty();
    get(api, "/Observation/" + vital, me, 404);
    get(api, "/Encounter/" + open.encounter, me, 404);
  }

  @Test
  void searchesAndReadsAreAuditedLikeTheirV1TwinsNamingThePatientsReturned() {
    FhirChart first = FhirChart.visit(clinic, "AuditA", true);
    FhirChart second = FhirChart.visit(clinic, "AuditB", true);
    String doctor = clinic.token(clinic.doctor);

    assertThat(matches(api, "/Encounter?patient=" + first.patient + "," + second.patient + "&_count=1", doctor))
        .extracting(e -> e.getString("id")).containsExactly(second.encounter);
    assertThat(AuditRows.of(platform, clinic.tenant, "encounter.search")).last()
        .as("only the patient of the page returned").isEqualTo(AuditRows.row("encounter", null,
            List.of(second.patient), "success", null));
    matches(api, "/Condition?patient=" + first.patient, doctor);
    assertThat(AuditRows.of(platform, clinic.tenant, "encounter.search")).last()
        .isEqualTo(AuditRows.row("condition", null, List.of(first.patient), "success", null));
    matches(api, "/Observation?patient=" + first.patient + "&category=laboratory", doctor);
    assertThat(AuditRows.of(platform, clinic.tenant, "lab_order.search")).containsExactly(
        AuditRows.row("observation", null, List.of(), "success", null));
    get(api, "/Encounter/" + first.encounter, doctor, 200);
    assertThat(AuditRows.of(platform, clinic.tenant, "encounter.read")).last()
        .isEqualTo(AuditRows.row("encounter", first.encounter, List.of(first.patient), "success", null));
    get(api, "/Condition?patient=" + first.patient, clinic.token(clinic.desk), 403);
    assertThat(AuditRows.of(platform, clinic.tenant, "encounter.search")).last()
        .isEqualTo(AuditRows.row("condition", null, List.of(), "denied", null));
  }
}
