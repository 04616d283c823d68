package io.caduceus.api.fhir;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.AuditRows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.caduceus.api.fhir.FhirChart.FHIR_BODY;
import static io.caduceus.api.fhir.FhirChart.codes;
import static io.caduceus.api.fhir.FhirChart.get;
import static io.caduceus.api.fhir.FhirChart.matches;
import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Creating vital-sign Observations: recorded on the encounter by the /v1 service, with its rules and audit. */
class FhirObservationWriteTest extends ClinicFixture {

  private static JsonObject bloodPressure(String encounter, String patient, double systolic, double diastolic) {
    return observation(encounter, patient, "85354-9").put("component", new JsonArray()
        .add(component("8480-6", systolic)).add(component("8462-4", diastolic)));
  }

  private static JsonObject observation(String encounter, String patient, String code) {
    JsonObject o = new JsonObject().put("resourceType", "Observation").put("status", "final")
        .put("category", new JsonArray().add(new JsonObject().put("coding", new JsonArray().add(new JsonObject()
            .put("system", "http://terminology.hl7.org/CodeSystem/observation-category").put("code", "vital-signs")))))
        .put("code", coding(code))
        .put("encounter", new JsonObject().put("reference", "Encounter/" + encounter));
    if (patient != null) {
      o.put("subject", new JsonObject().put("reference", "Patient/" + patient));
    }
    return o;
  }

  private static JsonObject coding(String code) {
    return new JsonObject().put("coding", new JsonArray().add(new JsonObject().put("system", "http://loinc.org")
        .put("code", code)));
  }

  private static JsonObject component(String code, double value) {
    return new JsonObject().put("code", coding(code)).put("valueQuantity", quantity(value, "mm[Hg]"));
  }

  private static JsonObject quantity(double value, String unit) {
    return new JsonObject().put("value", value).put("unit", unit).put("system", "http://unitsofmeasure.org")
        .put("code", unit);
  }

  private Api.Response create(String token, JsonObject body, int status) {
    return expect(api.send("POST", "/fhir/r4/Observation", token, body.encode(), FHIR_BODY), status);
  }

  @Test
  void aNurseRecordsABloodPressureAsAValidVitalSignsObservation() {
    FhirChart chart = FhirChart.visit(clinic, "Pressure", false);
    String nurse = clinic.token(clinic.nurse);
    Api.Response created = create(nurse, bloodPressure(chart.encounter, chart.patient, 135, 85), 201);
    FhirValidation.assertValid(created.body());
    JsonObject bp = created.json();
    assertThat(codes(bp)).containsExactly("85354-9");
    String version = bp.getJsonObject("meta").getString("versionId");
    assertThat(created.header("ETag")).as("a vital sign's version is its encounter's").isEqualTo("W/\"" + version + "\"");
    assertThat(created.header("Location")).endsWith("/fhir/r4/Observation/" + bp.getString("id") + "/_history/"
        + version);
    assertThat(bp.getJsonArray("component").getJsonObject(1).getJsonObject("valueQuantity").getDouble("value"))
        .isEqualTo(85.0);

    JsonObject read = get(api, "/Observation/" + bp.getString("id"), nurse, 200).json();
    assertThat(read.getJsonArray("component").getJsonObject(0).getJsonObject("valueQuantity").getDouble("value"))
        .isEqualTo(135.0);
    JsonObject v1 = expect(api.get("/v1/encounters/" + chart.encounter, nurse), 200).json();
    assertThat(v1.getJsonArray("vitals").stream().map(v -> ((JsonObject) v).getString("code")).toList())
        .containsSubsequence("8480-6", "8462-4", "8480-6", "8462-4");
    List<String> audit = AuditRows.of(platform, clinic.tenant, "encounter.vitals");
    assertThat(audit).as("three /v1 recordings, then this one").hasSize(4);
    assertThat(audit.get(3)).isEqualTo(AuditRows.row("encounter", chart.encounter, List.of(chart.patient), "success",
        null));

    JsonObject weight = observation(chart.encounter, null, "29463-7").put("valueQuantity", quantity(71.5, "kg"));
    JsonObject stored = create(clinic.token(clinic.doctor), weight, 201).json();
    assertThat(stored.getJsonObject("valueQuantity").getDouble("value")).isEqualTo(71.5);
    assertThat(matches(api, "/Observation?encounter=" + chart.encounter + "&code=29463-7", nurse)).hasSize(2);
  }

  @Test
  void theV1RulesAndRefusalsHold() {
    FhirChart open = FhirChart.visit(clinic, "Rules", false);
    FhirChart signed = FhirChart.visit(clinic, "Signed", true);
    String nurse = clinic.token(clinic.nurse);
    JsonObject heartRate = observation(open.encounter, open.patient, "8867-4").put("valueQuantity", quantity(72, "/min"));

    create(clinic.token(clinic.desk), heartRate, 403);
    create(nurse, observation(signed.encounter, null, "8867-4").put("valueQuantity", quantity(72, "/min")), 409);
    create(nurse, observation(open.encounter, signed.patient, "8867-4").put("valueQuantity", quantity(72, "/min")),
        400);
    create(nurse, observation(open.encounter, null, "8867-4").put("valueQuantity", quantity(72, "kg")), 400);
    create(nurse, observation(open.encounter, null, "8867-4").put("valueQuantity", quantity(900, "/min")), 400);
    create(nurse, observation(open.encounter, null, "2345-7").put("valueQuantity", quantity(90, "mg/dL")), 400);
    create(nurse, observation(open.encounter, null, "8867-4").put("valueQuantity", quantity(72, "/min"))
        .put("unknownElement", true), 400);
    create(nurse, observation(FhirChart.unknown(), null, "8867-4").put("valueQuantity", quantity(72, "/min")), 404);
    expect(api.send("POST", "/fhir/r4/Observation", nurse, heartRate.encode(), Map.of("Accept",
        "application/fhir+json", "Content-Type", "application/json")), 415);
    Api.Response refused = create(nurse, bloodPressure(open.encounter, null, 135, 300), 400);
    assertThat(refused.json().getString("resourceType")).isEqualTo("OperationOutcome");
    FhirValidation.assertValid(refused.body());
    assertThat(matches(api, "/Observation?encounter=" + open.encounter, nurse)).hasSize(3);

    create(nurse, heartRate, 201);
  }

  @Test
  void anotherTenantCannotRecordOnTheEncounter() {
    FhirChart chart = FhirChart.visit(clinic, "Foreign", false);
    var other = io.caduceus.api.testing.Clinic.in("us");
    create(other.token(other.nurse), observation(chart.encounter, null, "8867-4")
        .put("valueQuantity", quantity(72, "/min")), 404);
    assertThat(matches(api, "/Observation?encounter=" + chart.encounter, clinic.token(clinic.nurse))).hasSize(3);
  }

  private Api.Response update(String token, String id, JsonObject body, String ifMatch, int status) {
    Map<String, String> headers = new java.util.HashMap<>(FHIR_BODY);
    if (ifMatch != null) {
      headers.put("If-Match", ifMatch);
    }
    return expect(api.send("PUT", "/fhir/r4/Observation/" + id, token, body.encode(), headers), status);
  }

  @Test
  void aVitalSignIsCorrectedAtItsEncountersVersion() {
    FhirChart chart = FhirChart.visit(clinic, "Correct", false);
    String nurse = clinic.token(clinic.nurse);
    Api.Response created = create(nurse, bloodPressure(chart.encounter, chart.patient, 150, 95), 201);
    String id = created.json().getString("id");
    String etag = created.header("ETag");

    Api.Response corrected = update(nurse, id, bloodPressure(chart.encounter, chart.patient, 130, 85).put("id", id),
        etag, 200);
    FhirValidation.assertValid(corrected.body());
    assertThat(corrected.header("ETag")).isNotEqualTo(etag);
    assertThat(corrected.json().getString("id")).isEqualTo(id);
    JsonObject read = get(api, "/Observation/" + id, nurse, 200).json();
    assertThat(read.getJsonArray("component").getJsonObject(0).getJsonObject("valueQuantity").getDouble("value"))
        .isEqualTo(130.0);
    assertThat(read.getJsonArray("component").getJsonObject(1).getJsonObject("valueQuantity").getDouble("value"))
        .isEqualTo(85.0);
    assertThat(AuditRows.of(platform, clinic.tenant, "encounter.vitals")).hasSize(5).last()
        .isEqualTo(AuditRows.row("encounter", chart.encounter, List.of(chart.patient), "success", null));

    JsonObject again = bloodPressure(chart.encounter, chart.patient, 125, 80);
    Api.Response stale = update(nurse, id, again, etag, 412);
    assertThat(stale.json().getString("resourceType")).isEqualTo("OperationOutcome");
    update(nurse, id, again, null, 428);
    expect(api.send("PUT", "/fhir/r4/Observation/" + id, nurse, again.encode(), Map.of("Accept",
        "application/fhir+json", "Content-Type", "application/json", "If-Match", corrected.header("ETag"))), 415);
    update(clinic.token(clinic.desk), id, again, corrected.header("ETag"), 403);
    update(nurse, id, observation(chart.encounter, null, "8867-4").put("valueQuantity", quantity(70, "/min")),
        corrected.header("ETag"), 400);
    update(nurse, id, again.copy().put("id", FhirChart.unknown()), corrected.header("ETag"), 400);
    update(nurse, FhirChart.unknown(), again, corrected.header("ETag"), 404);
    Clinic other = Clinic.in("us");
    update(other.token(other.nurse), id, again, corrected.header("ETag"), 404);
    assertThat(get(api, "/Observation/" + id, nurse, 200).json().getJsonArray("component").getJsonObject(0)
        .getJsonObject("valueQuantity").getDouble("value")).isEqualTo(130.0);

    expect(api.post("/v1/encounters/" + chart.encounter + "/sign", clinic.token(clinic.doctor), null), 200);
    String signed = get(api, "/Observation/" + id, nurse, 200).header("ETag");
    update(nurse, id, again, signed, 409);
  }
}
