package io.caduceus.api.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.fhir.FhirChart.FHIR;
import static io.caduceus.api.fhir.FhirChart.FHIR_BODY;
import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * vread and history-instance: every earlier version of a patient, an appointment and a vital sign, kept by the
 * database whoever wrote the change (/v1 or FHIR), shown as the read shows the current one and to the same callers.
 */
class FhirVersionsTest extends ClinicFixture {

  private static final FhirContext HAPI = FhirContext.forR4Cached();

  private Api.Response fhir(String path, String token, int status) {
    Api.Response r = expect(api.send("GET", "/fhir/r4" + path, token, null, FHIR), status);
    assertThat(r.header("Content-Type")).startsWith("application/fhir+json");
    FhirValidation.assertValid(r.body());
    return r;
  }

  /** A patient at version 3: registered as Before (1), renamed Middle through /v1 (2), then After through FHIR (3). */
  private String patientWithThreeVersions() {
    String id = clinic.patient("Before", "Vera").getString("id");
    String desk = clinic.token(clinic.desk);
    expect(api.patch("/v1/patients/" + id, desk, new JsonObject().put("name", new JsonObject().put("family", "Middle")
        .put("given", "Vera")), "\"1\""), 200);
    JsonObject current = fhir("/Patient/" + id, desk, 200).json();
    current.remove("meta");
    current.getJsonArray("name").getJsonObject(0).put("family", "After");
    expect(api.send("PUT", "/fhir/r4/Patient/" + id, desk, current.encode(),
        Map.of("Content-Type", "application/fhir+json", "If-Match", "W/\"2\"")), 200);
    return id;
  }

  private static List<String> families(JsonObject bundle) {
    List<String> out = new ArrayList<>();
    for (Object e : bundle.getJsonArray("entry", new JsonArray())) {
      out.add(((JsonObject) e).getJsonObject("resource").getJsonArray("name").getJsonObject(0).getString("family"));
    }
    return out;
  }

  private static List<String> versions(JsonObject bundle) {
    List<String> out = new ArrayList<>();
    for (Object e : bundle.getJsonArray("entry", new JsonArray())) {
      out.add(((JsonObject) e).getJsonObject("resource").getJsonObject("meta").getString("versionId"));
    }
    return out;
  }

  private static String next(JsonObject bundle) {
    for (Object l : bundle.getJsonArray("link", new JsonArray())) {
      JsonObject link = (JsonObject) l;
      if ("next".equals(link.getString("relation"))) {
        return link.getString("url").replaceFirst("^https?://[^/]+/fhir/r4", "");
      }
    }
    return null;
  }

  private long audits(String action, String patient) {
    return Sql.query(platform.superuser(clinic.tenant), "SELECT 1 FROM " + clinic.tenant.place().schema()
        + ".audit_event WHERE tenant_id = ? AND action = ? AND ? = ANY (patient_ids)", clinic.tenant.id().value(),
        action, UUID.fromString(patient)).size();
  }

  @Test
  void anEarlierPatientVersionReadsAsItWasWhicheverApiChangedIt() {
    String id = patientWithThreeVersions();
    String desk = clinic.token(clinic.desk);
    long reads = audits("patient.read", id);

    Api.Response v1 = fhir("/Patient/" + id + "/_history/1", desk, 200);
    assertThat(v1.header("ETag")).isEqualTo("W/\"1\"");
    assertThat(v1.json().getJsonObject("meta").getString("versionId")).isEqualTo("1");
    assertThat(v1.json().getJsonArray("name").getJsonObject(0).getString("family")).isEqualTo("Before");
    assertThat(fhir("/Patient/" + id + "/_history/2", desk, 200).json().getJsonArray("name").getJsonObject(0)
        .getString("family")).as("the /v1 PATCH made version 2").isEqualTo("Middle");
    assertThat(fhir("/Patient/" + id + "/_history/3", desk, 200).json().getJsonArray("name").getJsonObject(0)
        .getString("family")).isEqualTo("After");
    assertThat(audits("patient.read", id)).as("each vread is audited as a read of the patient").isEqualTo(reads + 3);

    JsonObject unknown = fhir("/Patient/" + id + "/_history/4", desk, 404).json();
    assertThat(unknown.getString("resourceType")).isEqualTo("OperationOutcome");
    assertThat(fhir("/Patient/" + id + "/_history/one", desk, 400).json().getString("resourceType"))
        .isEqualTo("OperationOutcome");
    fhir("/Patient/" + id + "/_history/0", desk, 400);
    fhir("/Patient/" + Clinic.unknownId() + "/_history/1", desk, 404);
  }

  @Test
  void aDeletedPatientsVersionsAreGoneWithItsRead() {
    String id = patientWithThreeVersions();
    String desk = clinic.token(clinic.desk);
    expect(api.delete("/v1/patients/" + id, clinic.token(clinic.admin)), 204);
    fhir("/Patient/" + id, desk, 404);
    fhir("/Patient/" + id + "/_history/1", desk, 404);
    fhir("/Patient/" + id + "/_history", desk, 404);
  }

  @Test
  void theHistoryListsEveryVersionNewestFirstAndPages() {
    String id = patientWithThreeVersions();
    String desk = clinic.token(clinic.desk);
    JsonObject all = fhir("/Patient/" + id + "/_history", desk, 200).json();
    assertThat(all.getString("type")).isEqualTo("history");
    assertThat(versions(all)).containsExactly("3", "2", "1");
    assertThat(families(all)).containsExactly("After", "Middle", "Before");
    JsonObject first = all.getJsonArray("entry").getJsonObject(2);
    assertThat(first.getJsonObject("request").getString("method")).isEqualTo("POST");
    assertThat(first.getJsonObject("response").getString("etag")).isEqualTo("W/\"1\"");
    assertThat(all.getJsonArray("entry").getJsonObject(0).getJsonObject("request").getString("method"))
        .isEqualTo("PUT");
    assertThat(next(all)).isNull();

    JsonObject page1 = fhir("/Patient/" + id + "/_history?_count=2", desk, 200).json();
    assertThat(versions(page1)).containsExactly("3", "2");
    String more = next(page1);
    assertThat(more).isNotNull();
    JsonObject page2 = fhir(more, desk, 200).json();
    assertThat(versions(page2)).containsExactly("1");
    assertThat(next(page2)).isNull();

    assertThat(versions(fhir("/Patient/" + id + "/_history?_since=2999-01-01T00:00:00Z", desk, 200).json()))
        .isEmpty();
    assertThat(versions(fhir("/Patient/" + id + "/_history?_since=2000-01-01T00:00:00Z", desk, 200).json()))
        .containsExactly("3", "2", "1");
    fhir("/Patient/" + id + "/_history?_since=yesterday", desk, 400);
    fhir("/Patient/" + id + "/_history?_count=zero", desk, 400);
    fhir("/Patient/" + id + "/_history?name=x", desk, 400);
    Clinic other = Clinic.in("us");
    String otherId = other.patient("Cursorless", "Cy").getString("id");
    fhir("/Patient/" + otherId + "/_history?_count=2&_cursor=" + more.substring(more.indexOf("_cursor=") + 8),
        other.token(other.desk), 400);
  }

  @Test
  void anotherTenantFindsNeitherVersionsNorHistory() {
    String id = patientWithThreeVersions();
    String appointment = clinic.appointment(clinic.patient("Booked", "Bo").getString("id")).getString("id");
    Clinic other = Clinic.in("us");
    String outsider = other.token(other.doctor);
    fhir("/Patient/" + id + "/_history/1", outsider, 404);
    fhir("/Patient/" + id + "/_history", outsider, 404);
    fhir("/Appointment/" + appointment + "/_history/1", outsider, 404);
    fhir("/Appointment/" + appointment + "/_history", outsider, 404);
  }

  @Test
  void theAppRoleWithAnotherTenantSetReadsNoneOfItsVersions() throws Exception {
    String id = patientWithThreeVersions();
    Clinic other = Clinic.in("us");
    String table = clinic.tenant.place().schema() + ".patient_version";
    var app = io.caduceus.routing.testing.TestInfrastructure.get().asApp(platform.superuser(clinic.tenant));
    assertThat(versionsSeen(app, table, other.tenant.id().toString(), id)).as("as another tenant").isZero();
    assertThat(versionsSeen(app, table, clinic.tenant.id().toString(), id)).as("as its own tenant").isEqualTo(2);
    assertThat(Sql.query(platform.superuser(clinic.tenant), "SELECT version FROM " + table
        + " WHERE tenant_id = ? AND patient_id = ? ORDER BY version", clinic.tenant.id().value(), UUID.fromString(id))
        .stream().map(r -> r.get("version")).toList()).containsExactly(1, 2);
    assertThatThrownBy(() -> Sql.execute(app, "SELECT set_config('app.tenant_id', '" + clinic.tenant.id() + "', true)",
        "UPDATE " + table + " SET snapshot = '{}'")).as("history is never rewritten").isInstanceOf(Sql.SqlFailure.class);
  }

  private static long versionsSeen(io.caduceus.routing.DatabaseEndpoint app, String table, String tenant, String id)
      throws Exception {
    try (var conn = Sql.hold(app, "SELECT set_config('app.tenant_id', '" + tenant + "', true)");
         var ps = conn.prepareStatement("SELECT count(*) FROM " + table + " WHERE patient_id = ?::uuid")) {
      ps.setString(1, id);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void aReceptionistsEarlierVersionCarriesNoClinicalData() {
    String id = clinic.patient("Projected", "Ada").getString("id");
    String doctor = clinic.token(clinic.doctor);
    expect(api.patch("/v1/patients/" + id, doctor, new JsonObject().put("clinical",
        new JsonObject().put("allergies", new JsonArray().add("penicillin"))), "\"1\""), 200);
    expect(api.patch("/v1/patients/" + id, doctor, new JsonObject().put("name", new JsonObject()
        .put("family", "Renamed").put("given", "Ada")), "\"2\""), 200);
    String desk = fhir("/Patient/" + id + "/_history/2", clinic.token(clinic.desk), 200).body();
    assertThat(desk).contains("Projected").doesNotContain("penicillin").doesNotContain("extension");
    String history = fhir("/Patient/" + id + "/_history", clinic.token(clinic.desk), 200).body();
    assertThat(history).contains("Projected").contains("Renamed").doesNotContain("penicillin");
    fhir("/Patient/" + id + "/_history/2", doctor, 200);
  }

  @Test
  void anAppointmentsRescheduleMakesAVersion() {
    JsonObject booked = clinic.appointment(clinic.patient("Visit", "Val").getString("id"));
    String id = booked.getString("id");
    String desk = clinic.token(clinic.desk);
    java.time.Instant start = Clinic.nextSlot();
    expect(api.patch("/v1/appointments/" + id, desk, new JsonObject().put("start", start.toString())
        .put("end", start.plusSeconds(1800).toString()), "\"1\""), 200);
    JsonObject v1 = fhir("/Appointment/" + id + "/_history/1", desk, 200).json();
    assertThat(java.time.Instant.parse(v1.getString("start")))
        .isEqualTo(java.time.Instant.parse(booked.getString("start")));
    JsonObject history = fhir("/Appointment/" + id + "/_history", desk, 200).json();
    assertThat(versions(history)).containsExactly("2", "1");
    assertThat(java.time.Instant.parse(history.getJsonArray("entry").getJsonObject(0).getJsonObject("resource")
        .getString("start"))).isEqualTo(start);
  }

  @Test
  void aCorrectedVitalSignKeepsItsEarlierValuesAndStatus() {
    FhirChart chart = FhirChart.visit(clinic, "Vitals", false);
    String nurse = clinic.token(clinic.nurse);
    JsonObject bp = bloodPressure(chart.encounter, 150, 95);
    Api.Response created = expect(api.send("POST", "/fhir/r4/Observation", nurse, bp.encode(), FHIR_BODY), 201);
    String id = created.json().getString("id");
    int recorded = Integer.parseInt(created.json().getJsonObject("meta").getString("versionId"));
    Map<String, String> put = new HashMap<>(FHIR_BODY);
    put.put("If-Match", created.header("ETag"));
    expect(api.send("PUT", "/fhir/r4/Observation/" + id, nurse, bloodPressure(chart.encounter, 130, 85).put("id", id)
        .encode(), put), 200);
    expect(api.post("/v1/encounters/" + chart.encounter + "/sign", clinic.token(clinic.doctor), null), 200);

    JsonObject first = fhir("/Observation/" + id + "/_history/" + recorded, nurse, 200).json();
    assertThat(systolic(first)).isEqualTo(150.0);
    assertThat(first.getString("status")).isEqualTo("preliminary");
    JsonObject corrected = fhir("/Observation/" + id + "/_history/" + (recorded + 1), nurse, 200).json();
    assertThat(systolic(corrected)).isEqualTo(130.0);
    assertThat(corrected.getString("status")).isEqualTo("preliminary");
    JsonObject history = fhir("/Observation/" + id + "/_history", nurse, 200).json();
    assertThat(versions(history)).as("signed, corrected, recorded; none before it was recorded")
        .containsExactly(String.valueOf(recorded + 2), String.valueOf(recorded + 1), String.valueOf(recorded));
    JsonObject signed = history.getJsonArray("entry").getJsonObject(0).getJsonObject("resource");
    assertThat(signed.getString("status")).isEqualTo("final");
    assertThat(systolic(signed)).isEqualTo(130.0);
    String me = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(chart.patient)));
    assertThat(versions(fhir("/Observation/" + id + "/_history", me, 200).json()))
        .as("the patient sees the versions of their signed encounter only, as they see its vital signs")
        .containsExactly(String.valueOf(recorded + 2));
    fhir("/Observation/" + id + "/_history/" + recorded, me, 404);
    fhir("/Observation/" + id + "/_history/" + (recorded - 1), nurse, 404);
    fhir("/Observation/" + id + "/_history/" + (recorded + 3), nurse, 404);
    Clinic other = Clinic.in("us");
    fhir("/Observation/" + id + "/_history", other.token(other.nurse), 404);
  }

  private static double systolic(JsonObject observation) {
    return observation.getJsonArray("component").getJsonObject(0).getJsonObject("valueQuantity").getDouble("value");
  }

  private static JsonObject bloodPressure(String encounter, double systolic, double diastolic) {
    return new JsonObject().put("resourceType", "Observation").put("status", "final")
        .put("category", new JsonArray().add(new JsonObject().put("coding", new JsonArray().add(new JsonObject()
            .put("system", "http://terminology.hl7.org/CodeSystem/observation-category").put("code", "vital-signs")))))
        .put("code", loinc("85354-9"))
        .put("encounter", new JsonObject().put("reference", "Encounter/" + encounter))
        .put("component", new JsonArray().add(component("8480-6", systolic)).add(component("8462-4", diastolic)));
  }

  private static JsonObject loinc(String code) {
    return new JsonObject().put("coding", new JsonArray().add(new JsonObject().put("system", "http://loinc.org")
        .put("code", code)));
  }

  private static JsonObject component(String code, double value) {
    return new JsonObject().put("code", loinc(code)).put("valueQuantity", new JsonObject().put("value", value)
        .put("unit", "mm[Hg]").put("system", "http://unitsofmeasure.org").put("code", "mm[Hg]"));
  }

  @Test
  void hapisGenericClientReadsVersionsAndPagesTheHistory() {
    String id = patientWithThreeVersions();
    HAPI.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    IGenericClient client = HAPI.newRestfulGenericClient("http://127.0.0.1:" + platform.app().port() + "/fhir/r4");
    client.registerInterceptor(new BearerTokenAuthInterceptor(clinic.token(clinic.desk)));

    Patient v2 = client.vread(Patient.class, id, "2");
    assertThat(v2.getNameFirstRep().getFamily()).isEqualTo("Middle");
    assertThat(v2.getIdElement().getVersionIdPart()).isEqualTo("2");
    Bundle page = client.history().onInstance(new IdType("Patient", id)).returnBundle(Bundle.class).count(2)
        .execute();
    List<String> families = new ArrayList<>();
    page.getEntry().forEach(e -> families.add(((Patient) e.getResource()).getNameFirstRep().getFamily()));
    assertThat(page.getLink("next")).isNotNull();
    Bundle rest = client.loadPage().next(page).execute();
    rest.getEntry().forEach(e -> families.add(((Patient) e.getResource()).getNameFirstRep().getFamily()));
    assertThat(families).containsExactly("After", "Middle", "Before");
    assertThatThrownBy(() -> client.vread(Patient.class, id, "9"))
        .isInstanceOf(ResourceNotFoundException.class);

    CapabilityStatement statement = client.capabilities().ofType(CapabilityStatement.class).execute();
    for (var resource : statement.getRestFirstRep().getResource()) {
      if (List.of("Patient", "Appointment", "Observation").contains(resource.getType())) {
        assertThat(resource.getVersioning()).isEqualTo(CapabilityStatement.ResourceVersionPolicy.VERSIONED);
        assertThat(resource.getReadHistory()).isTrue();
        assertThat(resource.getInteraction().stream().map(i -> i.getCode().toCode()))
            .contains("vread", "history-instance");
      }
    }
  }
}
