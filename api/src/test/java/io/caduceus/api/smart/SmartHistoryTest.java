package io.caduceus.api.smart;

import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.fhir.FhirValidation;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.ClinicFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** A patient-scoped SMART token reaches the versions of its own patient only. */
class SmartHistoryTest extends ClinicFixture {

  private static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");

  private Api.Response get(String path, String token, int status) {
    Api.Response r = expect(api.send("GET", "/fhir/r4" + path, token, null, FHIR), status);
    FhirValidation.assertValid(r.body());
    return r;
  }

  /** A patient renamed once through /v1: two versions. */
  private String renamed(String family) {
    String id = clinic.patient(family, "Sam").getString("id");
    expect(api.patch("/v1/patients/" + id, clinic.token(clinic.desk), new JsonObject().put("name",
        new JsonObject().put("family", family + "-Renamed").put("given", "Sam")), "\"1\""), 200);
    return id;
  }

  @Test
  void aPatientsAppSeesItsPatientsHistoryAndNotAnothers() {
    String mine = renamed("Mine");
    String neighbour = renamed("Neighbour");
    SmartAppFixture app = SmartAppFixture.register(api, clinic, "patient/Patient.rs", "launch/patient");
    TestUser patient = platform.patientAccount(clinic.tenant, UUID.fromString(mine));
    String token = app.token("patient/Patient.rs launch/patient", clinic.token(patient));

    JsonObject history = get("/Patient/" + mine + "/_history", token, 200).json();
    assertThat(history.getJsonArray("entry")).hasSize(2);
    assertThat(get("/Patient/" + mine + "/_history/1", token, 200).json().getJsonArray("name").getJsonObject(0)
        .getString("family")).isEqualTo("Mine");
    assertThat(get("/Patient/" + neighbour + "/_history", token, 404).json().getString("resourceType"))
        .isEqualTo("OperationOutcome");
    get("/Patient/" + neighbour + "/_history/1", token, 404);
  }
}
