package io.caduceus.api.fhir;

import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.routing.IsolationTier;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.caduceus.api.fhir.FhirChart.get;
import static io.caduceus.api.fhir.FhirChart.matches;
import static org.assertj.core.api.Assertions.assertThat;

/** Every clinical type, by id and by search, from another tenant (in each isolation tier): not found, nothing. */
class FhirClinicalIsolationTest extends ClinicFixture {

  /** Each type's resource ids of the chart, as its own clinic's doctor finds them. */
  private Map<String, String> ids(Clinic owner, FhirChart chart) {
    String doctor = owner.token(owner.doctor);
    return Map.of("Encounter", chart.encounter,
        "Observation", matches(api, "/Observation?patient=" + chart.patient, doctor).get(0).getString("id"),
        "Condition", matches(api, "/Condition?patient=" + chart.patient, doctor).get(0).getString("id"),
        "Procedure", matches(api, "/Procedure?patient=" + chart.patient, doctor).get(0).getString("id"));
  }

  private void unreachable(Clinic owner, FhirChart chart, Clinic intruder) {
    String token = intruder.token(intruder.doctor);
    ids(owner, chart).forEach((type, id) -> {
      JsonObject outcome = get(api, "/" + type + "/" + id, token, 404).json();
      assertThat(outcome.getString("resourceType")).isEqualTo("OperationOutcome");
      assertThat(matches(api, "/" + type + "?patient=" + chart.patient, token)).as(type).isEmpty();
      assertThat(matches(api, "/" + type + "?_count=100", token)).as(type)
          .noneMatch(r -> r.getString("id").equals(id));
    });
    assertThat(matches(api, "/Observation?encounter=Encounter/" + chart.encounter, token)).isEmpty();
    assertThat(matches(api, "/Condition?encounter=" + chart.encounter, token)).isEmpty();
  }

  @Test
  void anotherTenantFindsNoneOfTheClinicsRecords() {
    FhirChart chart = FhirChart.visit(clinic, "Private", true);
    unreachable(clinic, chart, Clinic.in("us"));
  }

  @Test
  void clinicsInTheirOwnSchemaOrDatabaseAreIsolatedBothWays() {
    for (IsolationTier tier : List.of(IsolationTier.SCHEMA, IsolationTier.DATABASE)) {
      Clinic own = Clinic.in("us", tier);
      FhirChart chart = FhirChart.visit(own, "Tier", true);
      assertThat(matches(api, "/Observation?patient=" + chart.patient, own.token(own.nurse))).as(tier.name())
          .hasSize(3);
      get(api, "/Encounter/" + chart.encounter, own.token(own.doctor), 200);
      unreachable(own, chart, clinic);
      FhirChart pooled = FhirChart.visit(clinic, "Pooled", true);
      unreachable(clinic, pooled, own);
    }
  }

  @Test
  void aPatientsTokenReachesNoOtherPatientsRecordsByIdOrSearch() {
    FhirChart mine = FhirChart.visit(clinic, "Self", true);
    FhirChart theirs = FhirChart.visit(clinic, "Neighbour", true);
    String me = platform.token(platform.patientAccount(clinic.tenant, java.util.UUID.fromString(mine.patient)));
    ids(clinic, theirs).forEach((type, id) -> {
      get(api, "/" + type + "/" + id, me, 404);
      assertThat(matches(api, "/" + type + "?patient=" + theirs.patient, me)).as(type).isEmpty();
    });
    ids(clinic, mine).forEach((type, id) -> get(api, "/" + type + "/" + id, me, 200));
  }
}
