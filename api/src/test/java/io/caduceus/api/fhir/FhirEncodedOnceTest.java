package io.caduceus.api.fhir;

import io.caduceus.api.http.Reply;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.ClinicFixture;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 17: a FHIR answer is HAPI's JSON encoded once and sent as is, no longer parsed into a JsonObject and encoded
 * again; what clients receive is byte for byte what the double encoding sent.
 */
class FhirEncodedOnceTest extends ClinicFixture {

  @Test
  void aResourceReplyCarriesHapisBytesAndNoJsonObject() {
    Vertx vertx = Vertx.vertx();
    try {
      FhirModel model = await(new FhirModel(vertx).ready());
      Patient patient = new Patient();
      patient.setId("0193a5b0-0000-7000-8000-000000000001");
      patient.getMeta().setVersionId("3");
      patient.addName().setFamily("Ødegård").addGiven("Zoë");
      Reply reply = FhirHandlers.resource(model, patient);
      assertThat(reply.body()).as("no JsonObject is built").isNull();
      assertThat(reply.encoded()).isEqualTo(Buffer.buffer(model.context().newJsonParser()
          .encodeResourceToString(patient)));
      assertThat(reply.headers()).containsEntry("Content-Type", FhirMedia.JSON).containsEntry("ETag", "W/\"3\"");
      Reply created = reply.with(201, Map.of("Content-Type", FhirMedia.JSON, "Location", "x"));
      assertThat(created.encoded()).isSameAs(reply.encoded());
      assertThat(created.bodyText()).isEqualTo(reply.encoded().toString());
      assertThat(created.bodyJson().getString("resourceType")).isEqualTo("Patient");
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void aReplyHasOneBodyAndAnEncodedOneNamesItsType() {
    assertThatThrownBy(() -> new Reply(200, Map.of("Content-Type", "application/json"), new JsonObject(), List.of(),
        Buffer.buffer("{}"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Reply.encoded(200, Map.of(), Buffer.buffer("{}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new Reply(204, Map.of(), null).bodyText()).isEqualTo("null");
  }

  @Test
  void readsSearchesWritesAndTheCapabilityStatementAreTheBytesTheDoubleEncodingSent() {
    FhirChart chart = FhirChart.visit(clinic, "Encoded", false);
    String doctor = clinic.token(clinic.doctor);
    String weight = "/v1/encounters/" + chart.encounter + "/vitals";
    expect(api.post(weight, doctor, new JsonObject().put("vitals", new JsonArray()
        .add(FhirChart.vital("29463-7", 70.25, "kg")))), 200);
    String accented = clinic.patient("Ødegård", "Zoë \"Ké\" ☃").getString("id");
    List<String> paths = List.of("/fhir/r4/Patient/" + chart.patient, "/fhir/r4/Patient/" + accented,
        "/fhir/r4/Patient?_id=" + chart.patient,
        "/fhir/r4/Observation?patient=" + chart.patient,
        "/fhir/r4/Condition?patient=" + chart.patient,
        "/fhir/r4/metadata");
    for (String path : paths) {
      Api.Response r = expect(api.send("GET", path, doctor, null, FhirChart.FHIR), 200);
      assertThat(r.header("Content-Type")).startsWith(FhirMedia.JSON);
      assertSameAsDoubleEncoded(r.body());
      FhirValidation.assertValid(r.body());
    }
    Api.Response read = expect(api.send("GET", paths.get(0), doctor, null, FhirChart.FHIR), 200);
    Api.Response again = api.send("GET", paths.get(0), doctor, null, Map.of("Accept", "application/fhir+json",
        "If-None-Match", read.header("ETag")));
    assertThat(again.status()).as("the ETag still answers 304").isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void aCreatedAndAnUpdatedResourceAreSentOnceEncodedWithTheirHeaders() {
    String doctor = clinic.token(clinic.doctor);
    String body = new JsonObject().put("resourceType", "Patient").put("identifier", new JsonArray().add(
        new JsonObject().put("system", FhirSystems.MRN).put("value", "E-1"))).put("name", new JsonArray().add(new JsonObject()
        .put("family", "Once").put("given", new JsonArray().add("Ona")))).put("gender", "female")
        .put("birthDate", "1990-04-02").encode();
    Api.Response created = expect(api.send("POST", "/fhir/r4/Patient", doctor, body, FhirChart.FHIR_BODY), 201);
    assertThat(created.header("Location")).contains("/fhir/r4/Patient/").contains("/_history/1");
    assertThat(created.header("ETag")).isEqualTo("W/\"1\"");
    assertSameAsDoubleEncoded(created.body());
    FhirValidation.assertValid(created.body());
    JsonObject patient = created.json().put("gender", "other");
    Api.Response updated = expect(api.send("PUT", "/fhir/r4/Patient/" + patient.getString("id"), doctor,
        patient.encode(), Map.of("Accept", "application/fhir+json", "Content-Type", "application/fhir+json",
            "If-Match", created.header("ETag"))), 200);
    assertThat(updated.header("Content-Location")).contains("/_history/2");
    assertThat(updated.json().getString("gender")).isEqualTo("other");
    assertSameAsDoubleEncoded(updated.body());
  }

  /** What the former path sent: HAPI's text parsed into a JsonObject, encoded again. */
  private static void assertSameAsDoubleEncoded(String body) {
    assertThat(Buffer.buffer(body)).isEqualTo(new JsonObject(body).toBuffer());
  }
}
