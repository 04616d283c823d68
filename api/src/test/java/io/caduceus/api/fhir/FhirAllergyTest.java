package io.caduceus.api.fhir;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.routing.IsolationTier;
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
 * {@code AllergyIntolerance} from the patient's clinical allergies: valid FHIR with stable ids, projected for the
 * role (no clinical section, no allergies), its search parameters, and isolation from other tenants in every tier
 * and from other patients.
 */
class FhirAllergyTest extends ClinicFixture {

  private static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");

  private String withAllergies(String family, String... allergies) {
    return expect(api.post("/v1/patients", clinic.token(clinic.doctor), new JsonObject()
        .put("name", new JsonObject().put("family", family).put("given", "Ann")).put("birthDate", "1970-01-01")
        .put("sex", "female").put("clinical", new JsonObject().put("allergies", new JsonArray(List.of(allergies))))),
        201).json().getString("id");
  }

  @Test
  void aPatientsAllergiesAreValidResourcesWithStableIdsForClinicalRolesOnly() {
    String id = withAllergies("Allergic", "penicillin", "latex");
    String doctor = clinic.token(clinic.doctor);
    JsonObject bundle = search("AllergyIntolerance?patient=Patient/" + id, doctor);
    List<JsonObject> found = resources(bundle);
    assertThat(found).extracting(a -> a.getJsonObject("code").getString("text")).containsExactly("penicillin", "latex");
    assertThat(found).allSatisfy(a -> assertThat(a.getJsonObject("patient").getString("reference"))
        .isEqualTo("Patient/" + id));
    String penicillin = found.get(0).getString("id");
    assertThat(resources(search("AllergyIntolerance?patient=" + id, doctor)).get(0).getString("id"))
        .isEqualTo(penicillin);
    Api.Response read = expect(api.send("GET", "/fhir/r4/AllergyIntolerance/" + penicillin, doctor, null, FHIR), 200);
    FhirValidation.assertValid(read.body());
    assertThat(read.json().getJsonObject("code").getString("text")).isEqualTo("penicillin");

    String desk = clinic.token(clinic.desk);
    expect(api.send("GET", "/fhir/r4/AllergyIntolerance/" + penicillin, desk, null, FHIR), 404);
    assertThat(resources(search("AllergyIntolerance?patient=" + id, desk))).isEmpty();
  }

  @Test
  void searchParametersNarrowAndPageTheAllergies() {
    String id = withAllergies("Paged", "penicillin", "latex", "peanuts");
    String doctor = clinic.token(clinic.doctor);
    String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
    assertThat(resources(search("AllergyIntolerance?patient=" + id + "&clinical-status=active", doctor))).hasSize(3);
    assertThat(resources(search("AllergyIntolerance?patient=" + id + "&clinical-status=resolved", doctor))).isEmpty();
    assertThat(resources(search("AllergyIntolerance?patient=" + id + "&_lastUpdated=ge" + tomorrow, doctor)))
        .isEmpty();
    assertThat(resources(search("AllergyIntolerance?patient=" + UUID.randomUUID(), doctor))).isEmpty();
    expect(api.send("GET", "/fhir/r4/AllergyIntolerance", doctor, null, FHIR), 400);

    JsonObject first = search("AllergyIntolerance?patient=" + id + "&_count=2", doctor);
    assertThat(resources(first)).hasSize(2);
    String next = first.getJsonArray("link").stream().map(JsonObject.class::cast)
        .filter(l -> "next".equals(l.getString("relation"))).findFirst().orElseThrow().getString("url");
    JsonObject second = search(next.substring(next.indexOf("/fhir/r4/") + "/fhir/r4/".length()), doctor);
    assertThat(resources(second)).extracting(a -> a.getJsonObject("code").getString("text"))
        .containsExactly("peanuts");
  }

  @Test
  void otherTenantsInEveryTierAndOtherPatientsFindNothing() {
    String mine = withAllergies("Mine", "penicillin");
    String theirs = withAllergies("Theirs", "sulfa");
    String doctor = clinic.token(clinic.doctor);
    String theirAllergy = resources(search("AllergyIntolerance?patient=" + theirs, doctor)).get(0).getString("id");
    String myAllergy = resources(search("AllergyIntolerance?patient=" + mine, doctor)).get(0).getString("id");

    String patient = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(mine)));
    assertThat(resources(search("AllergyIntolerance", patient))).extracting(a -> a.getString("id"))
        .containsExactly(myAllergy);
    assertThat(resources(search("AllergyIntolerance?patient=" + theirs, patient))).isEmpty();
    expect(api.send("GET", "/fhir/r4/AllergyIntolerance/" + theirAllergy, patient, null, FHIR), 404);

    for (IsolationTier tier : List.of(IsolationTier.SHARED, IsolationTier.SCHEMA, IsolationTier.DATABASE)) {
      Clinic other = Clinic.in("us", tier);
      String stranger = other.token(other.doctor);
      Api.Response refused = expect(api.send("GET", "/fhir/r4/AllergyIntolerance/" + myAllergy, stranger, null, FHIR),
          404);
      assertThat(refused.json().getString("resourceType")).isEqualTo("OperationOutcome");
      assertThat(resources(search("AllergyIntolerance?patient=" + mine, stranger))).isEmpty();
    }
  }

  /** A search's Bundle, validated. */
  private JsonObject search(String query, String token) {
    Api.Response r = expect(api.send("GET", "/fhir/r4/" + query, token, null, FHIR), 200);
    FhirValidation.assertValid(r.body());
    return r.json();
  }

  private static List<JsonObject> resources(JsonObject bundle) {
    return bundle.getJsonArray("entry", new JsonArray()).stream().map(JsonObject.class::cast)
        .map(e -> e.getJsonObject("resource")).toList();
  }
}
