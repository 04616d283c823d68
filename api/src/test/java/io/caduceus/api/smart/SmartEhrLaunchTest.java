package io.caduceus.api.smart;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** SMART's EHR launch: a staff user opens an app on a patient; one use, addressed to that user, of that tenant. */
class SmartEhrLaunchTest extends ClinicFixture {

  private static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");
  private static final String LAUNCH_URL = "https://diary.example/launch";

  private SmartAppFixture app;
  private String patientId;

  @BeforeEach
  void anAppWithALaunchUrl() {
    app = SmartAppFixture.register(api, clinic, new JsonObject().put("launchUrl", LAUNCH_URL), "launch",
        "user/Patient.rs");
    patientId = clinic.patient("Moreau", "Lea").getString("id");
  }

  private JsonObject launched(Clinic in, TestUser user, String appId, String patient, String encounter) {
    JsonObject body = new JsonObject().put("appId", appId).put("patientId", patient);
    if (encounter != null) {
      body.put("encounterId", encounter);
    }
    return expect(api.post("/v1/smart/launches", in.token(user), body), 201).json();
  }

  @Test
  void theLaunchingPhysicianApprovesAndTheTokenResponseNamesThePatientAndEncounter() {
    String encounter = expect(api.post("/v1/encounters", clinic.token(clinic.doctor), new JsonObject()
        .put("appointmentId", clinic.appointment(patientId).getString("id"))), 201).json().getString("id");
    JsonObject launch = launched(clinic, clinic.doctor, app.appId, patientId, encounter);
    String fhirBase = app.config().getString("token_endpoint").replace("/oauth2/token", "/fhir/r4");
    assertThat(launch.getString("launchUrl")).isEqualTo(LAUNCH_URL + "?iss="
        + URLEncoder.encode(fhirBase, StandardCharsets.UTF_8) + "&launch=" + launch.getString("launch"));
    String status = "/v1/smart/launches/" + launch.getString("id");
    assertThat(expect(api.get(status, clinic.token(clinic.doctor)), 200).json().containsKey("usedAt")).isFalse();
    SmartAppFixture.Launch pending = app.launch("launch user/Patient.rs", Map.of("launch", launch.getString("launch")));
    JsonObject used = expect(api.get(status, clinic.token(clinic.doctor)), 200).json();
    assertThat(used.getString("usedAt")).isNotNull();
    assertThat(used.getString("patientId")).isEqualTo(patientId);
    assertThat(used.encode()).doesNotContain(launch.getString("launch"));
    expect(api.get(status, clinic.token(clinic.desk)), 404);
    expect(api.get("/v1/smart/authorizations/" + pending.requestId(), clinic.token(clinic.desk)), 404);
    expect(api.post("/v1/smart/authorizations/" + pending.requestId() + "/approve", clinic.token(clinic.desk),
        new JsonObject()), 404);
    JsonObject shown = expect(api.get("/v1/smart/authorizations/" + pending.requestId(), clinic.token(clinic.doctor)),
        200).json();
    assertThat(shown.getString("patientId")).isEqualTo(patientId);
    assertThat(shown.getString("encounterId")).isEqualTo(encounter);
    AccessTokenResponse tokens = app.exchange(app.approve(pending, clinic.token(clinic.doctor)), pending.verifier())
        .toSuccessResponse();
    assertThat(tokens.getCustomParameters().get("patient")).isEqualTo(patientId);
    assertThat(tokens.getCustomParameters().get("encounter")).isEqualTo(encounter);
    expect(api.send("GET", "/fhir/r4/Patient/" + patientId, tokens.getTokens().getAccessToken().getValue(), null,
        FHIR), 200);
    Api.Response again = app.authorize("launch user/Patient.rs", Map.of("launch", launch.getString("launch")),
        new CodeVerifier(), new State());
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.json().getString("error")).isEqualTo("invalid_request");
  }

  @Test
  void aLaunchIsBoundToItsAppAndTenant() {
    Clinic other = Clinic.in("us");
    SmartAppFixture theirs = SmartAppFixture.register(api, other, new JsonObject().put("launchUrl", LAUNCH_URL),
        "launch", "user/Patient.rs");
    JsonObject launch = launched(clinic, clinic.doctor, app.appId, patientId, null);
    Api.Response stolen = theirs.authorize("launch user/Patient.rs", Map.of("launch", launch.getString("launch")),
        new CodeVerifier(), new State());
    assertThat(stolen.status()).isEqualTo(400);
    assertThat(stolen.json().getString("error")).isEqualTo("invalid_request");
    expect(api.post("/v1/smart/launches", other.token(other.doctor),
        new JsonObject().put("appId", app.appId).put("patientId", patientId)), 404);
    expect(api.get("/v1/smart/launches/" + launch.getString("id"), other.token(other.doctor)), 404);
    expect(api.post("/v1/smart/launches", other.token(other.doctor),
        new JsonObject().put("appId", theirs.appId).put("patientId", patientId)), 404);
    SmartAppFixture.Launch mine = app.launch("launch user/Patient.rs", Map.of("launch", launch.getString("launch")));
    expect(api.get("/v1/smart/authorizations/" + mine.requestId(), other.token(other.doctor)), 404);
  }

  @Test
  void patientsCannotLaunchAndTheLaunchScopeNeedsALaunch() {
    TestUser patient = platform.patientAccount(clinic.tenant, UUID.fromString(patientId));
    expect(api.post("/v1/smart/launches", clinic.token(patient),
        new JsonObject().put("appId", app.appId).put("patientId", patientId)), 403);
    SmartAppFixture plain = SmartAppFixture.register(api, clinic, "user/Patient.rs");
    expect(api.post("/v1/smart/launches", clinic.token(clinic.doctor),
        new JsonObject().put("appId", plain.appId).put("patientId", patientId)), 400);
    Api.Response noLaunch = app.authorize("launch user/Patient.rs", Map.of(), new CodeVerifier(), new State());
    assertThat(noLaunch.status()).isEqualTo(400);
    expect(api.post("/v1/smart/launches", clinic.token(clinic.doctor),
        new JsonObject().put("appId", app.appId).put("patientId", UUID.randomUUID().toString())), 404);
    String neighbour = clinic.patient("Dubois", "Jean").getString("id");
    String theirEncounter = expect(api.post("/v1/encounters", clinic.token(clinic.doctor), new JsonObject()
        .put("appointmentId", clinic.appointment(neighbour).getString("id"))), 201).json().getString("id");
    expect(api.post("/v1/smart/launches", clinic.token(clinic.doctor), new JsonObject().put("appId", app.appId)
        .put("patientId", patientId).put("encounterId", theirEncounter)), 400);
    expect(api.post("/v1/smart/launches", clinic.token(clinic.doctor), new JsonObject().put("appId", app.appId)
        .put("patientId", patientId).put("encounterId", UUID.randomUUID().toString())), 404);
  }
}
