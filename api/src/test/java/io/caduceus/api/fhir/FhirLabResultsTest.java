package io.caduceus.api.fhir;

import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Partner;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.caduceus.api.fhir.FhirChart.codes;
import static io.caduceus.api.fhir.FhirChart.get;
import static io.caduceus.api.fhir.FhirChart.matches;
import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Lab results as laboratory Observations: LOINC, UCUM or text values, interpretation, reference range. */
class FhirLabResultsTest extends ClinicFixture {

  /** A resulted order of the patient's (glucose 105 mg/dL, high; hemoglobin 13.5 g/dL; a text culture result). */
  private String resulted(Clinic clinic, Partner lab, String patient) {
    String order = expect(api.post("/v1/lab-orders", clinic.token(clinic.doctor), new JsonObject()
        .put("patientId", patient).put("labTenantId", lab.tenant.id().toString())
        .put("tests", new JsonArray().add(new JsonObject().put("code", "2345-7").put("display", "Glucose")))), 201)
        .json().getString("id");
    String tech = lab.token(lab.staff);
    JsonObject work = Await.until(() -> expect(api.get("/v1/lab-orders?direction=incoming&status=received", tech),
        200).items(), items -> !items.isEmpty()).getJsonObject(0);
    String path = "/v1/lab-orders/" + work.getString("id");
    expect(api.post(path + "/status", tech, new JsonObject().put("status", "specimen_collected")), 200);
    expect(api.post(path + "/status", tech, new JsonObject().put("status", "in_progress")), 200);
    expect(api.post(path + "/results", tech, new JsonObject().put("report", "Raised.").put("results", new JsonArray()
        .add(new JsonObject().put("code", "2345-7").put("display", "Glucose").put("value", 105).put("unit", "mg/dL")
            .put("referenceRange", new JsonObject().put("low", 70).put("high", 99)))
        .add(new JsonObject().put("code", "718-7").put("display", "Hemoglobin").put("value", 13.5)
            .put("unit", "g/dL").put("referenceRange", new JsonObject().put("low", 12).put("high", 16)))
        .add(new JsonObject().put("code", "600-7").put("display", "Blood culture").put("valueText", "No growth")
            .put("flag", "N")))), 200);
    Await.until(() -> expect(api.get("/v1/lab-orders/" + order, clinic.token(clinic.doctor)), 200).json(),
        o -> "resulted".equals(o.getString("status")));
    return order;
  }

  @Test
  void resultsReadAsValidLaboratoryObservationsBesideTheVitals() {
    Partner lab = Partner.labLinkedTo(clinic);
    FhirChart chart = FhirChart.visit(clinic, "Glucose", true);
    resulted(clinic, lab, chart.patient);
    String doctor = clinic.token(clinic.doctor);

    List<JsonObject> labs = matches(api, "/Observation?patient=" + chart.patient + "&category=laboratory", doctor);
    assertThat(labs).hasSize(3);
    JsonObject glucose = matches(api, "/Observation?patient=" + chart.patient + "&code=http://loinc.org%7C2345-7",
        doctor).get(0);
    assertThat(codes(glucose)).containsExactly("2345-7");
    assertThat(glucose.getJsonObject("valueQuantity").getString("code")).isEqualTo("mg/dL");
    assertThat(glucose.getJsonArray("interpretation").getJsonObject(0).getJsonArray("coding").getJsonObject(0)
        .getString("code")).isEqualTo("H");
    assertThat(glucose.getJsonArray("referenceRange").getJsonObject(0).getJsonObject("high").getDouble("value"))
        .isEqualTo(99.0);
    JsonObject culture = matches(api, "/Observation?patient=" + chart.patient + "&code=600-7", doctor).get(0);
    assertThat(culture.getString("valueString")).isEqualTo("No growth");
    get(api, "/Observation/" + glucose.getString("id"), doctor, 200);
    assertThat(matches(api, "/Observation?patient=" + chart.patient, doctor)).hasSize(6);
    assertThat(matches(api, "/Observation?patient=" + chart.patient + "&category=vital-signs,laboratory", doctor))
        .hasSize(6);

    String me = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(chart.patient)));
    assertThat(matches(api, "/Observation?category=laboratory", me)).hasSize(3);
    get(api, "/Observation/" + glucose.getString("id"), clinic.token(clinic.desk), 403);
    get(api, "/Observation?category=laboratory", clinic.token(clinic.desk), 403);

    Clinic other = Clinic.in("us");
    get(api, "/Observation/" + glucose.getString("id"), other.token(other.doctor), 404);
    assertThat(matches(api, "/Observation?category=laboratory", other.token(other.doctor))).isEmpty();
    String someoneElse = clinic.patient("Else", "Eve").getString("id");
    String theirs = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(someoneElse)));
    get(api, "/Observation/" + glucose.getString("id"), theirs, 404);
    assertThat(matches(api, "/Observation?category=laboratory", theirs)).isEmpty();
  }

  @Test
  void aLabResultNeverChangesSoItsOnlyVersionIsTheCurrentOne() {
    Partner lab = Partner.labLinkedTo(clinic);
    String patient = clinic.patient("Versioned", "Lab").getString("id");
    resulted(clinic, lab, patient);
    String doctor = clinic.token(clinic.doctor);
    JsonObject glucose = matches(api, "/Observation?patient=" + patient + "&code=2345-7", doctor).get(0);
    String id = glucose.getString("id");
    assertThat(get(api, "/Observation/" + id + "/_history/1", doctor, 200).json()).isEqualTo(glucose);
    get(api, "/Observation/" + id + "/_history/2", doctor, 404);
    JsonObject history = get(api, "/Observation/" + id + "/_history", doctor, 200).json();
    assertThat(history.getString("type")).isEqualTo("history");
    assertThat(history.getJsonArray("entry")).hasSize(1);
    get(api, "/Observation/" + id + "/_history", clinic.token(clinic.desk), 403);
    Clinic other = Clinic.in("us");
    get(api, "/Observation/" + id + "/_history/1", other.token(other.doctor), 404);
  }

  @Test
  void anOrderReadsAsAServiceRequestAndItsResultsAsADiagnosticReport() {
    Partner lab = Partner.labLinkedTo(clinic);
    String patient = clinic.patient("Report", "Rita").getString("id");
    String order = resulted(clinic, lab, patient);
    String pending = expect(api.post("/v1/lab-orders", clinic.token(clinic.doctor), new JsonObject()
        .put("patientId", patient).put("labTenantId", lab.tenant.id().toString()).put("priority", "stat")
        .put("tests", new JsonArray().add(new JsonObject().put("code", "718-7").put("display", "Hemoglobin")))), 201)
        .json().getString("id");
    String nurse = clinic.token(clinic.nurse);

    JsonObject report = get(api, "/DiagnosticReport/" + order, nurse, 200).json();
    assertThat(report.getString("status")).isEqualTo("final");
    assertThat(report.getString("conclusion")).isEqualTo("Raised.");
    assertThat(report.getJsonArray("basedOn").getJsonObject(0).getString("reference"))
        .isEqualTo("ServiceRequest/" + order);
    assertThat(report.getJsonArray("result")).hasSize(3);
    for (Object result : report.getJsonArray("result")) {
      String reference = ((JsonObject) result).getString("reference");
      JsonObject observation = get(api, "/" + reference, nurse, 200).json();
      assertThat(observation.getJsonArray("category").getJsonObject(0).getJsonArray("coding").getJsonObject(0)
          .getString("code")).isEqualTo("laboratory");
    }
    JsonObject request = get(api, "/ServiceRequest/" + pending, nurse, 200).json();
    assertThat(request.getString("status")).isEqualTo("active");
    assertThat(request.getString("priority")).isEqualTo("stat");
    assertThat(request.getJsonObject("requester").getString("display")).isEqualTo("Test Doctor");

    assertThat(matches(api, "/DiagnosticReport?patient=" + patient, nurse)).hasSize(2);
    assertThat(matches(api, "/DiagnosticReport?patient=" + patient + "&status=final", nurse))
        .extracting(r -> r.getString("id")).containsExactly(order);
    assertThat(matches(api, "/ServiceRequest?patient=" + patient + "&status=active", nurse))
        .extracting(r -> r.getString("id")).containsExactly(pending);
    assertThat(matches(api, "/ServiceRequest?patient=" + patient + "&status=revoked", nurse)).isEmpty();
    assertThat(matches(api, "/ServiceRequest?patient=" + patient + "&code=http://loinc.org%7C718-7", nurse))
        .extracting(r -> r.getString("id")).containsExactly(pending);
    assertThat(matches(api, "/ServiceRequest?patient=" + patient + "&authored=ge2020-01-01&authored=lt2100", nurse))
        .hasSize(2);
    assertThat(matches(api, "/DiagnosticReport?patient=" + patient + "&date=lt2020", nurse)).isEmpty();
    assertThat(matches(api, "/DiagnosticReport?patient=" + patient + "&_lastUpdated=gt2100", nurse)).isEmpty();

    get(api, "/ServiceRequest/" + order, clinic.token(clinic.desk), 403);
    get(api, "/DiagnosticReport?patient=" + patient, clinic.token(clinic.desk), 403);
    Clinic other = Clinic.in("us");
    get(api, "/DiagnosticReport/" + order, other.token(other.doctor), 404);
    get(api, "/ServiceRequest/" + order, other.token(other.doctor), 404);
    assertThat(matches(api, "/ServiceRequest?patient=" + patient, other.token(other.doctor))).isEmpty();
    assertThat(matches(api, "/DiagnosticReport", other.token(other.doctor))).isEmpty();
    String me = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(patient)));
    assertThat(matches(api, "/DiagnosticReport", me)).hasSize(2);
    String someoneElse = clinic.patient("Else", "Ed").getString("id");
    String theirs = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(someoneElse)));
    get(api, "/DiagnosticReport/" + order, theirs, 404);
    assertThat(matches(api, "/ServiceRequest", theirs)).isEmpty();
  }
}
