package io.caduceus.api.fhir;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

class FhirPatientTest extends ClinicFixture {

  private static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");

  @Test
  void aPatientReadsAsAValidFhirPatientProjectedForTheRole() {
    JsonObject created = clinic.patient(new JsonObject().put("mrn", "F-1")
        .put("name", new JsonObject().put("family", "Delgado").put("given", "Maria Elena"))
        .put("birthDate", "1980-02-03").put("sex", "female"));
    String id = created.getString("id");
    Api.Response read = expect(api.send("GET", "/fhir/r4/Patient/" + id, clinic.token(clinic.desk), null, FHIR), 200);
    assertThat(read.header("Content-Type")).startsWith("application/fhir+json");
    assertThat(read.header("ETag")).isEqualTo("W/\"1\"");
    JsonObject patient = read.json();
    assertThat(patient.getString("resourceType")).isEqualTo("Patient");
    assertThat(patient.getString("id")).isEqualTo(id);
    assertThat(patient.getJsonArray("name").getJsonObject(0).getJsonArray("given")).containsExactly("Maria", "Elena");
    assertThat(patient.getString("gender")).isEqualTo("female");
    FhirValidation.assertValid(read.body());
  }

  @Test
  void anotherTenantsPatientIsNotFoundAsAnOperationOutcome() {
    String id = clinic.patient("Okafor", "Ngozi").getString("id");
    Clinic other = Clinic.in("us");
    Api.Response refused = expect(api.send("GET", "/fhir/r4/Patient/" + id, other.token(other.desk), null, FHIR), 404);
    assertThat(refused.header("Content-Type")).startsWith("application/fhir+json");
    assertThat(refused.json().getString("resourceType")).isEqualTo("OperationOutcome");
    assertThat(refused.json().getJsonArray("issue").getJsonObject(0).getString("code")).isEqualTo("not-found");
    FhirValidation.assertValid(refused.body());
    expect(api.send("GET", "/fhir/r4/Patient/not-a-uuid", clinic.token(clinic.desk), null, FHIR), 400);
    expect(api.send("GET", "/fhir/r4/Patient/" + id, null, null, FHIR), 401);
  }

  @Test
  void theCapabilityStatementIsPublicAndValid() {
    Api.Response metadata = expect(api.send("GET", "/fhir/r4/metadata", null, null, FHIR), 200);
    JsonObject statement = metadata.json();
    assertThat(statement.getString("resourceType")).isEqualTo("CapabilityStatement");
    assertThat(statement.getString("fhirVersion")).isEqualTo("4.0.1");
    FhirValidation.assertValid(metadata.body());
  }
}
