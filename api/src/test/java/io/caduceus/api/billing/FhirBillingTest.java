package io.caduceus.api.billing;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.fhir.FhirValidation;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Partner;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.testing.Await;
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
 * {@code Coverage}, {@code Claim} and {@code ClaimResponse} over the billing services: valid FHIR on both sides of
 * the clinic-to-insurer journey, each side seeing only its own copy (a ClaimResponse's request is its own Claim), the
 * search parameters, and isolation from other tenants (in every tier) and from patients' tokens.
 */
class FhirBillingTest {

  private static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void eachSideOfAPaidClaimSeesItsOwnClaimAndResponseAsValidFhir() {
    Billed b = new Billed();
    String sent = b.sentClaim("99213", 15_000);
    String insurer = b.insurerToken();
    String clinic = b.accountantToken();
    String received = Await.until(() -> expect(api.get("/v1/claims?direction=incoming", insurer), 200).items(),
        items -> !items.isEmpty()).getJsonObject(0).getString("id");

    JsonObject atClinic = read("Claim", sent, clinic);
    assertThat(atClinic.getJsonObject("patient").getString("reference")).isEqualTo("Patient/" + b.patientId);
    assertThat(atClinic.getJsonArray("insurance").getJsonObject(0).getJsonObject("coverage").containsKey("reference"))
        .isFalse();
    assertThat(atClinic.getJsonObject("total").getDouble("value")).isEqualTo(150.0);
    assertThat(atClinic.encode()).doesNotContain(received).doesNotContain(b.coverageId).doesNotContain("anxiety");
    JsonObject atInsurer = read("Claim", received, insurer);
    assertThat(atInsurer.getJsonArray("insurance").getJsonObject(0).getJsonObject("coverage").getString("reference"))
        .isEqualTo("Coverage/" + b.coverageId);
    assertThat(atInsurer.encode()).doesNotContain(sent).doesNotContain(b.patientId).doesNotContain("anxiety");
    notFound("ClaimResponse", received, insurer);

    expect(api.post("/v1/claims/" + received + "/adjudicate", insurer, new JsonObject()
        .put("decision", "partially_approved").put("approvedCents", 12_000).put("reasons", new JsonArray()
            .add(new JsonObject().put("code", "CO-45").put("text", "Charge exceeds fee schedule")))), 200);
    expect(api.post("/v1/claims/" + received + "/payments", insurer, new JsonObject().put("amountCents", 12_000)), 200);
    Await.until(() -> expect(api.get("/v1/claims/" + sent, clinic), 200).json(),
        c -> "paid".equals(c.getString("status")));

    JsonObject decided = read("ClaimResponse", received, insurer);
    assertThat(decided.getJsonObject("request").getString("reference")).isEqualTo("Claim/" + received);
    assertThat(decided.getJsonObject("payment").getJsonObject("amount").getDouble("value")).isEqualTo(120.0);
    JsonObject told = read("ClaimResponse", sent, clinic);
    assertThat(told.getJsonObject("request").getString("reference")).isEqualTo("Claim/" + sent);
    assertThat(told.getString("disposition")).isEqualTo("partially_approved");
    assertThat(told.encode()).doesNotContain(received);

    notFound("Claim", received, clinic);
    notFound("ClaimResponse", received, clinic);
    notFound("Claim", sent, insurer);
    notFound("Coverage", b.coverageId, b.clinic.token(b.clinic.admin));
  }

  @Test
  void searchParametersNarrowEachType() {
    Billed b = new Billed();
    String sent = b.sentClaim("99213", 15_000);
    String insurer = b.insurerToken();
    String clinic = b.accountantToken();
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();

    assertThat(ids(search("Claim?patient=Patient/" + b.patientId + "&status=active&created=ge" + today, clinic)))
        .containsExactly(sent);
    assertThat(ids(search("Claim?status=cancelled", clinic))).isEmpty();
    assertThat(ids(search("Claim?created=lt" + today, clinic))).isEmpty();
    assertThat(ids(search("Claim?_lastUpdated=ge" + tomorrow, clinic))).isEmpty();
    assertThat(ids(search("Claim?patient=" + UUID.randomUUID(), clinic))).isEmpty();
    assertThat(search("Claim?_summary=count&patient=" + b.patientId, clinic).getInteger("total")).isEqualTo(1);
    assertThat(search("Claim?_summary=count&status=cancelled", clinic).getInteger("total")).isZero();
    assertThat(ids(search("ClaimResponse?patient=" + b.patientId, clinic))).isEmpty();

    String received = Await.until(() -> expect(api.get("/v1/claims?direction=incoming", insurer), 200).items(),
        items -> !items.isEmpty()).getJsonObject(0).getString("id");
    expect(api.post("/v1/claims/" + received + "/adjudicate", insurer, new JsonObject().put("decision", "approved")
        .put("approvedCents", 15_000)), 200);
    assertThat(ids(search("ClaimResponse?request=Claim/" + received + "&status=active", insurer)))
        .containsExactly(received);
    assertThat(ids(search("ClaimResponse?request=" + UUID.randomUUID(), insurer))).isEmpty();
    assertThat(ids(search("ClaimResponse?created=ge" + today, insurer))).containsExactly(received);

    assertThat(ids(search("Coverage?patient=" + b.memberPatientId + "&status=active", insurer)))
        .containsExactly(b.coverageId);
    assertThat(ids(search("Coverage?beneficiary=Patient/" + b.memberPatientId + "&_lastUpdated=ge" + today,
        insurer))).containsExactly(b.coverageId);
    assertThat(ids(search("Coverage?status=cancelled", insurer))).isEmpty();
    assertThat(search("Coverage?_summary=count&patient=" + b.memberPatientId, insurer).getInteger("total"))
        .isEqualTo(1);
    JsonObject coverage = read("Coverage", b.coverageId, insurer);
    assertThat(coverage.getString("subscriberId")).isEqualTo(Billed.MEMBER_ID);
    assertThat(coverage.getJsonObject("beneficiary").getString("reference"))
        .isEqualTo("Patient/" + b.memberPatientId);
    expect(api.send("GET", "/fhir/r4/Claim?provider=x", clinic, null, FHIR), 400);
  }

  @Test
  void otherTenantsInEveryTierAndPatientsFindNothing() {
    Billed b = new Billed();
    String sent = b.sentClaim("99213", 15_000);
    String patient = platform.token(platform.patientAccount(b.clinic.tenant, UUID.fromString(b.patientId)));
    for (String type : List.of("Claim", "ClaimResponse", "Coverage")) {
      Api.Response refused = expect(api.send("GET", "/fhir/r4/" + type + "?patient=" + b.patientId, patient, null,
          FHIR), 403);
      assertThat(refused.json().getString("resourceType")).isEqualTo("OperationOutcome");
    }
    expect(api.send("GET", "/fhir/r4/Claim/" + sent, patient, null, FHIR), 403);

    Partner otherInsurer = Partner.insurer("us");
    String stranger = otherInsurer.token(otherInsurer.staff);
    notFound("Coverage", b.coverageId, stranger);
    assertThat(ids(search("Coverage", stranger))).isEmpty();
    assertThat(ids(search("Claim", stranger))).isEmpty();
    for (IsolationTier tier : List.of(IsolationTier.SHARED, IsolationTier.SCHEMA, IsolationTier.DATABASE)) {
      Clinic other = Clinic.in("us", tier);
      String admin = other.token(other.admin);
      String accountant = platform.token(platform.user(other.tenant, "accountant"));
      notFound("Claim", sent, accountant);
      notFound("ClaimResponse", sent, accountant);
      notFound("Coverage", b.coverageId, admin);
      assertThat(ids(search("Claim?patient=" + b.patientId, accountant))).isEmpty();
      assertThat(ids(search("ClaimResponse", accountant))).isEmpty();
      assertThat(ids(search("Coverage", admin))).isEmpty();
    }
  }

  private JsonObject read(String type, String id, String token) {
    Api.Response r = expect(api.send("GET", "/fhir/r4/" + type + "/" + id, token, null, FHIR), 200);
    FhirValidation.assertValid(r.body());
    JsonObject resource = r.json();
    assertThat(resource.getString("resourceType")).isEqualTo(type);
    assertThat(resource.getString("id")).isEqualTo(id);
    return resource;
  }

  private void notFound(String type, String id, String token) {
    Api.Response r = expect(api.send("GET", "/fhir/r4/" + type + "/" + id, token, null, FHIR), 404);
    assertThat(r.json().getString("resourceType")).isEqualTo("OperationOutcome");
  }

  /** A search's Bundle, each entry validated. */
  private JsonObject search(String query, String token) {
    Api.Response r = expect(api.send("GET", "/fhir/r4/" + query, token, null, FHIR), 200);
    FhirValidation.assertValid(r.body());
    return r.json();
  }

  private static List<String> ids(JsonObject bundle) {
    return bundle.getJsonArray("entry", new JsonArray()).stream().map(JsonObject.class::cast)
        .map(e -> e.getJsonObject("resource").getString("id")).toList();
  }
}
