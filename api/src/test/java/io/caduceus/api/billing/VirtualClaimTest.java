package io.caduceus.api.billing;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A telehealth visit is billed as one: its charges and claim lines carry place of service 10 (the patient at home)
 * or 02 (elsewhere) and modifier 95, and so does the insurer's copy of the claim; a visit in person carries 11.
 */
class VirtualClaimTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void aVirtualVisitFromHomeIsClaimedWithPlaceOfService10AndModifier95() {
    Billed b = new Billed();
    String encounter = virtualVisit(b, "home");
    JsonObject line = claimed(b, encounter, "99213", 12_000);
    assertThat(line.getString("placeOfService")).isEqualTo("10");
    assertThat(line.getJsonArray("modifiers")).containsExactly("95");
  }

  @Test
  void aVirtualVisitFromElsewhereIsClaimedWithPlaceOfService02AndAVisitInPersonWith11() {
    Billed b = new Billed();
    JsonObject line = claimed(b, virtualVisit(b, "elsewhere"), "99214", 21_000);
    assertThat(line.getString("placeOfService")).isEqualTo("02");
    assertThat(line.getJsonArray("modifiers")).containsExactly("95");
    String inPerson = b.visit(true, "99215");
    b.fee("99215", 30_000);
    JsonObject charge = expect(api.post("/v1/encounters/" + inPerson + "/charges", b.accountantToken(), null), 200)
        .json().getJsonArray("items").getJsonObject(0);
    assertThat(charge.getString("placeOfService")).isEqualTo("11");
    assertThat(charge.getJsonArray("modifiers")).isEmpty();
  }

  /** A virtual visit of the member patient, joined from {@code location}, ended: its encounter's id. */
  private String virtualVisit(Billed b, String location) {
    String admin = b.clinic.token(b.clinic.admin);
    int version = expect(api.get("/v1/telehealth/settings", admin), 200).json().getInteger("version");
    expect(api.send("PUT", "/v1/telehealth/settings", admin, new JsonObject().put("virtualVisits", true).encode(),
        Map.of("If-Match", "\"" + version + "\"")), 200);
    Instant start = Instant.now().plus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    JsonObject booked = expect(api.post("/v1/appointments", b.clinic.token(b.clinic.desk), new JsonObject()
        .put("patientId", b.patientId).put("practitionerId", b.clinic.practitionerId).put("start", start.toString())
        .put("end", start.plus(20, ChronoUnit.MINUTES).toString()).put("modality", "virtual")), 201).json();
    String session = "/v1/telehealth/sessions/" + booked.getString("sessionId");
    String patient = platform.token(platform.patientAccount(b.clinic.tenant, UUID.fromString(b.patientId)));
    String doctor = b.clinic.token(b.clinic.doctor);
    expect(api.post(session + "/check-in", patient, new JsonObject().put("location", location)), 200);
    expect(api.post(session + "/admit", doctor, null), 200);
    return expect(api.post(session + "/end", doctor, null), 200).json().getString("encounterId");
  }

  /** Documents, signs, charges and claims the encounter; answers the insurer's copy of its one line. */
  private JsonObject claimed(Billed b, String encounter, String cptCode, long cents) {
    String doctor = b.clinic.token(b.clinic.doctor);
    String path = "/v1/encounters/" + encounter;
    expect(api.post(path + "/diagnoses", doctor, new JsonObject().put("code", "L30.9")), 200);
    expect(api.post(path + "/procedures", doctor, new JsonObject().put("code", cptCode)), 200);
    expect(api.post(path + "/sign", doctor, null), 200);
    b.fee(cptCode, cents);
    JsonObject charge = expect(api.post(path + "/charges", b.accountantToken(), null), 200).json()
        .getJsonArray("items").getJsonObject(0);
    JsonObject sent = expect(api.post("/v1/claims", b.accountantToken(), new JsonObject().put("encounterId", encounter)
        .put("insurerTenantId", b.insurer.tenant.id().toString())), 201).json();
    JsonObject clinicLine = sent.getJsonArray("lines").getJsonObject(0);
    assertThat(clinicLine.getString("placeOfService")).isEqualTo(charge.getString("placeOfService"));
    assertThat(clinicLine.getJsonArray("modifiers")).isEqualTo(charge.getJsonArray("modifiers"));
    JsonArray incoming = Await.until(() -> expect(api.get("/v1/claims?direction=incoming", b.insurerToken()), 200)
        .items(), items -> !items.isEmpty());
    return incoming.getJsonObject(0).getJsonArray("lines").getJsonObject(0);
  }
}
