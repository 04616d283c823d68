package io.caduceus.api.fhir;

import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.routing.IsolationTier;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.fhir.FhirChart.get;
import static io.caduceus.api.fhir.FhirChart.matches;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code _summary=count} and {@code _total} on every search type: the service's count under the same permission,
 * filters and visibility as the listing, so another tenant counts none of the clinic's records and a patient's token
 * counts only its patient's.
 */
class FhirSearchCountTest extends ClinicFixture {

  /** A search of each type that the chart's patient has records for, with the number its listing finds. */
  private static Map<String, Integer> chartSearches(FhirChart chart) {
    Map<String, Integer> searches = new LinkedHashMap<>();
    searches.put("/Patient?_id=" + chart.patient, 1);
    searches.put("/Appointment?patient=" + chart.patient, 1);
    searches.put("/Encounter?patient=" + chart.patient, 1);
    searches.put("/Condition?patient=" + chart.patient, 1);
    searches.put("/Procedure?patient=" + chart.patient, 1);
    searches.put("/Observation?patient=" + chart.patient, 3);
    searches.put("/Observation?patient=" + chart.patient + "&code=8867-4,29463-7", 2);
    searches.put("/AllergyIntolerance?patient=" + chart.patient, 0);
    searches.put("/MedicationRequest?patient=" + chart.patient, 0);
    searches.put("/MedicationDispense?patient=" + chart.patient, 0);
    searches.put("/ServiceRequest?patient=" + chart.patient, 0);
    searches.put("/DiagnosticReport?patient=" + chart.patient, 0);
    return searches;
  }

  /** The total of a {@code _summary=count} search, whose Bundle validates and holds no entry. */
  private int count(String search, String token) {
    String path = search + (search.contains("?") ? "&" : "?") + "_summary=count";
    JsonObject bundle = get(api, path, token, 200).json();
    assertThat(bundle.getString("type")).as(path).isEqualTo("searchset");
    assertThat(bundle.containsKey("entry")).as(path).isFalse();
    assertThat(bundle.getInteger("total")).as(path).isNotNull();
    return bundle.getInteger("total");
  }

  @Test
  void everySearchTypeCountsWhatItsListingFinds() {
    FhirChart chart = FhirChart.visit(clinic, "Counted", true);
    String doctor = clinic.token(clinic.doctor);
    chartSearches(chart).forEach((search, expected) -> {
      assertThat(count(search, doctor)).as(search).isEqualTo(expected);
      assertThat(matches(api, search + "&_count=100", doctor)).as(search).hasSize(expected);
    });
    assertThat(count("/Practitioner?_id=" + clinic.practitionerId, doctor)).isEqualTo(1);
    assertThat(count("/Organization", doctor)).isEqualTo(1);
    assertThat(count("/Organization?_id=" + UUID.randomUUID(), doctor)).isZero();
    assertThat(count("/Condition?patient=not-a-uuid", doctor)).isZero();
    String admin = clinic.token(clinic.admin);
    assertThat(count("/Coverage?patient=" + chart.patient, admin)).isZero();
    int trail = count("/AuditEvent?patient=" + chart.patient, admin);
    assertThat(trail).isPositive();
    String accountant = platform.token(platform.user(clinic.tenant, "accountant"));
    assertThat(count("/Claim?patient=" + chart.patient, accountant)).isZero();
    assertThat(count("/ClaimResponse?patient=" + chart.patient, accountant)).isZero();

    JsonObject counted = get(api, "/Observation?patient=" + chart.patient + "&_count=1&_total=accurate", doctor, 200)
        .json();
    assertThat(counted.getInteger("total")).isEqualTo(3);
    assertThat(counted.getJsonArray("entry")).hasSize(1);
    assertThat(get(api, "/Observation?patient=" + chart.patient + "&_total=none", doctor, 200).json()
        .containsKey("total")).isFalse();
    assertThat(get(api, "/Patient?_total=estimate&_id=" + chart.patient, doctor, 200).json().getInteger("total"))
        .isEqualTo(1);
    JsonObject refused = get(api, "/Patient?_total=sometimes", doctor, 400).json();
    assertThat(refused.getString("resourceType")).isEqualTo("OperationOutcome");
  }

  @Test
  void aCountNeedsTheListingsPermission() {
    FhirChart chart = FhirChart.visit(clinic, "Guarded", true);
    String desk = clinic.token(clinic.desk);
    get(api, "/Condition?_summary=count&patient=" + chart.patient, desk, 403);
    get(api, "/AuditEvent?_summary=count", desk, 403);
    get(api, "/MedicationRequest?_summary=count", desk, 403);
  }

  @Test
  void anotherTenantCountsNoneOfTheClinicsRecordsInAnyTier() {
    FhirChart chart = FhirChart.visit(clinic, "Walled", true);
    for (IsolationTier tier : List.of(IsolationTier.SHARED, IsolationTier.DATABASE)) {
      Clinic other = Clinic.in("us", tier);
      String token = other.token(other.doctor);
      chartSearches(chart).keySet().forEach(search -> assertThat(count(search, token)).as(search).isZero());
      for (String type : List.of("/Patient", "/Appointment", "/Encounter", "/Condition", "/Procedure",
          "/Observation", "/MedicationRequest", "/ServiceRequest", "/DiagnosticReport")) {
        assertThat(count(type, token)).as(tier + " " + type).isZero();
      }
      assertThat(count("/AuditEvent?patient=" + chart.patient, other.token(other.admin))).isZero();
    }
  }

  @Test
  void aPatientsTokenCountsOnlyItsOwnRecords() {
    FhirChart mine = FhirChart.visit(clinic, "Self", true);
    FhirChart theirs = FhirChart.visit(clinic, "Neighbour", true);
    FhirChart.visit(clinic, "Unsigned", false);
    String me = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(mine.patient)));
    assertThat(count("/Patient", me)).isEqualTo(1);
    assertThat(count("/Appointment", me)).isEqualTo(1);
    assertThat(count("/Encounter", me)).isEqualTo(1);
    assertThat(count("/Condition", me)).isEqualTo(1);
    assertThat(count("/Procedure", me)).isEqualTo(1);
    assertThat(count("/Observation", me)).isEqualTo(3);
    for (String type : List.of("/Patient?_id=", "/Appointment?patient=", "/Encounter?patient=",
        "/Condition?patient=", "/Procedure?patient=", "/Observation?patient=")) {
      assertThat(count(type + theirs.patient, me)).as(type).isZero();
    }
    String doctor = clinic.token(clinic.doctor);
    assertThat(count("/Encounter", doctor)).isEqualTo(3);
    assertThat(count("/Encounter?status=in-progress", doctor)).isEqualTo(1);
    assertThat(count("/Encounter?status=in-progress,finished", doctor)).isEqualTo(3);
    assertThat(count("/Encounter?status=finished,in-progress&status=finished", doctor)).isEqualTo(2);
    assertThat(count("/Observation?patient=" + mine.patient + "&code=8867-4,29463-7&code=29463-7", doctor))
        .isEqualTo(1);
  }

  @Test
  void identifierTakesSeveralValuesAndSystemValueButNeverReachesAnotherTenant() {
    Clinic other = Clinic.in("us");
    String a = patient(clinic, "ID-1");
    String b = patient(clinic, "ID-2");
    patient(clinic, "ID-3");
    String theirs = patient(other, "ID-1");
    String desk = clinic.token(clinic.desk);
    String mrn = FhirSystems.MRN;
    assertThat(ids("/Patient?identifier=ID-1,ID-2", desk)).containsExactlyInAnyOrder(a, b);
    assertThat(ids("/Patient?identifier=" + enc(mrn + "|ID-1," + mrn + "|ID-2"), desk))
        .containsExactlyInAnyOrder(a, b);
    assertThat(ids("/Patient?identifier=" + enc("urn:other|ID-1,ID-2"), desk)).containsExactly(b);
    assertThat(ids("/Patient?identifier=ID-1,ID-2&identifier=ID-2,ID-3", desk)).containsExactly(b);
    assertThat(count("/Patient?identifier=ID-1,ID-2,ID-9", desk)).isEqualTo(2);
    get(api, "/Patient?identifier=" + enc(mrn + "|"), desk, 400);
    String outsider = other.token(other.desk);
    assertThat(ids("/Patient?identifier=ID-1,ID-2,ID-3", outsider)).containsExactly(theirs);
    assertThat(count("/Patient?identifier=ID-1,ID-2,ID-3", outsider)).isEqualTo(1);

    String doctor = clinic.token(clinic.doctor);
    assertThat(ids("/Practitioner?identifier=" + enc("urn:other|1234567893"), doctor)).isEmpty();
    assertThat(ids("/Practitioner?_id=" + clinic.practitionerId + "&identifier=" + enc("urn:other|1,2"), doctor))
        .isEmpty();
  }

  private String patient(Clinic c, String mrn) {
    return c.patient(new JsonObject().put("mrn", mrn)
        .put("name", new JsonObject().put("family", "Ident").put("given", mrn))
        .put("birthDate", "1980-01-01").put("sex", "female")).getString("id");
  }

  private List<String> ids(String search, String token) {
    return matches(api, search, token).stream().map(r -> r.getString("id")).toList();
  }

  private static String enc(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
  }
}
