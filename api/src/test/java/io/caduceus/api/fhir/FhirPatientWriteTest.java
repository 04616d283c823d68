package io.caduceus.api.fhir;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Patient create and update on the FHIR facade, over PatientService: same rules, same audit rows as /v1. */
class FhirPatientWriteTest extends ClinicFixture {

  private static final String FHIR_JSON = "application/fhir+json";

  private static JsonObject maria() {
    return new JsonObject().put("resourceType", "Patient")
        .put("identifier", new JsonArray().add(new JsonObject().put("system", FhirSystems.MRN).put("value", "W-1")))
        .put("name", new JsonArray().add(new JsonObject().put("use", "official").put("family", "Delgado")
            .put("given", new JsonArray().add("Maria").add("Elena"))))
        .put("gender", "female").put("birthDate", "1980-02-03")
        .put("telecom", new JsonArray().add(new JsonObject().put("system", "phone").put("value", "+15555550107"))
            .add(new JsonObject().put("system", "email").put("value", "maria@example.org")))
        .put("address", new JsonArray().add(new JsonObject().put("line", new JsonArray().add("1 Main St"))
            .put("city", "Springfield").put("state", "IL").put("postalCode", "62701").put("country", "US")))
        .put("communication", new JsonArray().add(new JsonObject().put("preferred", true)
            .put("language", new JsonObject().put("coding", new JsonArray()
                .add(new JsonObject().put("system", "urn:ietf:bcp:47").put("code", "es"))))));
  }

  private Api.Response post(String token, JsonObject body) {
    return api.send("POST", "/fhir/r4/Patient", token, body.encode(), Map.of("Content-Type", FHIR_JSON,
        "Accept", FHIR_JSON));
  }

  private Api.Response put(String token, String id, JsonObject body, String ifMatch) {
    Map<String, String> headers = ifMatch == null ? Map.of("Content-Type", FHIR_JSON)
        : Map.of("Content-Type", FHIR_JSON, "If-Match", ifMatch);
    return api.send("PUT", "/fhir/r4/Patient/" + id, token, body.encode(), headers);
  }

  private long audits(String action, String id) {
    return Sql.query(platform.superuser("us"), "SELECT 1 FROM audit_event WHERE tenant_id = ? AND action = ?"
        + " AND ? = ANY (patient_ids)", clinic.tenant.id().value(), action, UUID.fromString(id)).size();
  }

  @Test
  void aCreatedPatientIsStoredAsV1WouldAndReadsBackTheSame() {
    Api.Response created = expect(post(clinic.token(clinic.desk), maria()), 201);
    FhirValidation.assertValid(created.body());
    JsonObject patient = created.json();
    String id = patient.getString("id");
    assertThat(created.header("Location")).endsWith("/fhir/r4/Patient/" + id + "/_history/1");
    assertThat(created.header("ETag")).isEqualTo("W/\"1\"");
    assertThat(audits("patient.create", id)).isEqualTo(1);

    JsonObject v1 = expect(api.get("/v1/patients/" + id, clinic.token(clinic.desk)), 200).json();
    assertThat(v1.getString("mrn")).isEqualTo("W-1");
    assertThat(v1.getJsonObject("name").getString("given")).isEqualTo("Maria Elena");
    assertThat(v1.getString("preferredLanguage")).isEqualTo("es");
    assertThat(v1.getJsonObject("contact").getString("email")).isEqualTo("maria@example.org");
    assertThat(v1.getJsonObject("contact").getJsonObject("address").getString("region")).isEqualTo("IL");

    JsonObject read = expect(api.send("GET", "/fhir/r4/Patient/" + id, clinic.token(clinic.desk), null,
        Map.of()), 200).json();
    assertThat(read.getJsonArray("address").getJsonObject(0).getString("city")).isEqualTo("Springfield");
    assertThat(read.getJsonArray("communication").getJsonObject(0).getJsonObject("language")
        .getJsonArray("coding").getJsonObject(0).getString("code")).isEqualTo("es");
  }

  @Test
  void anUpdateNeedsTheCurrentVersionAndReplacesTheContact() {
    String id = expect(post(clinic.token(clinic.desk), maria()), 201).json().getString("id");
    JsonObject changed = maria().put("id", id).put("gender", "other");
    changed.remove("telecom");
    changed.remove("address");

    expect(put(clinic.token(clinic.desk), id, changed, null), 428);
    expect(put(clinic.token(clinic.desk), id, changed, "W/\"7\""), 412);
    Api.Response updated = expect(put(clinic.token(clinic.desk), id, changed, "W/\"1\""), 200);
    FhirValidation.assertValid(updated.body());
    assertThat(updated.header("ETag")).isEqualTo("W/\"2\"");
    assertThat(updated.json().getString("gender")).isEqualTo("other");
    assertThat(updated.json().containsKey("telecom")).isFalse();
    assertThat(audits("patient.update", id)).isEqualTo(1);
    expect(put(clinic.token(clinic.desk), id, changed, "W/\"1\""), 412);

    JsonObject noBirthDate = changed.copy();
    noBirthDate.remove("birthDate");
    assertThat(expect(put(clinic.token(clinic.desk), id, noBirthDate, "W/\"2\""), 422).body())
        .contains("Patient.birthDate");
    expect(put(clinic.token(clinic.desk), id, changed.copy().put("id", Clinic.unknownId()), "W/\"2\""), 400);
  }

  @Test
  void whatTheRecordCannotHoldIsRefusedNamingIt() {
    String token = clinic.token(clinic.desk);
    Map<String, JsonObject> refused = Map.of(
        "Patient.maritalStatus", maria().put("maritalStatus", new JsonObject().put("text", "married")),
        "Patient.identifier[1]", maria().put("identifier", maria().getJsonArray("identifier").copy()
            .add(new JsonObject().put("system", "http://hl7.org/fhir/sid/us-ssn").put("value", "123"))),
        "Patient.telecom[2]", maria().put("telecom", maria().getJsonArray("telecom").copy()
            .add(new JsonObject().put("system", "fax").put("value", "+15555550108"))),
        "Patient.birthDate", maria().put("birthDate", "1980"),
        "Patient.extension", maria().put("extension", new JsonArray().add(new JsonObject()
            .put("url", "http://example.org/x").put("valueString", "y"))));
    refused.forEach((element, body) -> {
      Api.Response r = expect(post(token, body), 422);
      assertThat(r.json().getString("resourceType")).isEqualTo("OperationOutcome");
      assertThat(r.body()).as(element).contains(element);
      FhirValidation.assertValid(r.body());
    });
    expect(post(token, maria().put("unknownElement", 1)), 400);
    expect(post(token, new JsonObject().put("resourceType", "Observation")), 400);
    Api.Response json = api.send("POST", "/fhir/r4/Patient", token, maria().encode(),
        Map.of("Content-Type", "application/json"));
    expect(json, 415);
    assertThat(Sql.query(platform.superuser("us"), "SELECT 1 FROM patient WHERE tenant_id = ?",
        clinic.tenant.id().value())).isEmpty();
  }

  @Test
  void anotherTenantCannotUpdateAndAnMrnClashIsAConflict() {
    String id = expect(post(clinic.token(clinic.desk), maria()), 201).json().getString("id");
    expect(post(clinic.token(clinic.desk), maria()), 409);
    Clinic other = Clinic.in("us");
    expect(put(other.token(other.desk), id, maria().put("id", id), "W/\"1\""), 404);
    List<Map<String, Object>> rows = Sql.query(platform.superuser("us"), "SELECT version FROM patient WHERE id = ?",
        UUID.fromString(id));
    assertThat(rows.get(0).get("version")).isEqualTo(1);
  }
}
