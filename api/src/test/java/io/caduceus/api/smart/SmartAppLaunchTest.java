package io.caduceus.api.smart;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.fhir.FhirValidation;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.AuditRows;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** SMART standalone launch: an app registered by the admin, approved by a user, tokens confined to their context. */
class SmartAppLaunchTest extends ClinicFixture {

  private static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");

  private SmartAppFixture app;

  @BeforeEach
  void anApp() {
    app = SmartAppFixture.register(api, clinic, "patient/Patient.rs", "launch/patient", "user/Patient.read");
  }

  @Test
  void aPatientApprovedAppReadsThatPatientOnlyUntilTheConsentIsRevoked() {
    String mine = clinic.patient("Moreau", "Lea").getString("id");
    String neighbour = clinic.patient("Dubois", "Jean").getString("id");
    TestUser patient = platform.patientAccount(clinic.tenant, UUID.fromString(mine));
    SmartAppFixture.Launch launch = app.launch("patient/Patient.rs launch/patient");
    AuthorizationCode code = app.approve(launch, clinic.token(patient));
    AccessTokenResponse tokens = app.exchange(code, launch.verifier()).toSuccessResponse();
    assertThat(tokens.getCustomParameters().get("patient")).isEqualTo(mine);
    String token = tokens.getTokens().getAccessToken().getValue();
    Api.Response read = expect(api.send("GET", "/fhir/r4/Patient/" + mine, token, null, FHIR), 200);
    FhirValidation.assertValid(read.body());
    expect(api.send("GET", "/fhir/r4/Patient/" + neighbour, token, null, FHIR), 404);
    expect(api.get("/v1/portal/records", token), 403);
    TokenResponse again = app.exchange(code, launch.verifier());
    assertThat(again.indicatesSuccess()).isFalse();
    assertThat(again.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
    JsonArray consents = expect(api.get("/v1/smart/consents", clinic.token(patient)), 200).json().getJsonArray("items");
    assertThat(consents).hasSize(1);
    assertThat(consents.getJsonObject(0).getJsonArray("scopes")).contains("patient/Patient.rs");
    String consentId = consents.getJsonObject(0).getString("id");
    expect(api.delete("/v1/smart/consents/" + consentId, clinic.token(clinic.desk)), 404);
    expect(api.delete("/v1/smart/consents/" + consentId, clinic.token(patient)), 204);
    expect(api.send("GET", "/fhir/r4/Patient/" + mine, token, null, FHIR), 401);
    assertThat(AuditRows.of(platform, clinic.tenant, "smart_consent.grant"))
        .anySatisfy(row -> assertThat(row).startsWith("smart_authorization " + launch.requestId()));
    assertThat(AuditRows.of(platform, clinic.tenant, "smart_consent.revoke"))
        .anySatisfy(row -> assertThat(row).startsWith("smart_consent " + consentId));
  }

  @Test
  void aWrongVerifierOrRedirectIsRefusedAndPatientScopesNeedAPatient() {
    SmartAppFixture.Launch launch = app.launch("patient/Patient.rs");
    expect(api.post("/v1/smart/authorizations/" + launch.requestId() + "/approve", clinic.token(clinic.desk),
        new JsonObject()), 403);
    Clinic other = Clinic.in("us");
    expect(api.post("/v1/smart/authorizations/" + launch.requestId() + "/approve", other.token(other.desk),
        new JsonObject()), 404);
    String id = clinic.patient("Petit", "Luc").getString("id");
    TestUser patient = platform.patientAccount(clinic.tenant, UUID.fromString(id));
    SmartAppFixture.Launch second = app.launch("patient/Patient.rs");
    TokenResponse wrong = app.exchange(app.approve(second, clinic.token(patient)), new CodeVerifier());
    assertThat(wrong.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
    Api.Response badRedirect = api.get("/oauth2/authorize?response_type=code&client_id=" + app.appId
        + "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&scope=patient%2FPatient.rs&aud=x"
        + "&code_challenge=" + "a".repeat(43) + "&code_challenge_method=S256", null);
    assertThat(badRedirect.status()).isEqualTo(400);
    assertThat(badRedirect.json().getString("error")).isEqualTo("invalid_request");
  }

  @Test
  void aReceptionistsUserScopeKeepsTheReceptionistsProjection() {
    String id = clinic.patient(new JsonObject().put("mrn", "A-7")
        .put("contact", new JsonObject().put("email", "noor@example.org"))
        .put("name", new JsonObject().put("family", "Haddad").put("given", "Noor"))
        .put("birthDate", "1990-06-07").put("sex", "female")).getString("id");
    String token = app.token("user/Patient.read", clinic.token(clinic.desk));
    String asDesk = expect(api.send("GET", "/fhir/r4/Patient/" + id, clinic.token(clinic.desk), null, FHIR), 200)
        .body();
    assertThat(asDesk).contains("noor@example.org");
    assertThat(new JsonObject(expect(api.send("GET", "/fhir/r4/Patient/" + id, token, null, FHIR), 200).body()))
        .isEqualTo(new JsonObject(asDesk));
    expect(api.get("/v1/patients/" + id, token), 403);
    expect(api.delete("/v1/tenants/" + clinic.tenant.id() + "/fhir-apps/" + app.appId, clinic.token(clinic.admin)),
        204);
    expect(api.send("GET", "/fhir/r4/Patient/" + id, token, null, FHIR), 401);
    Clinic other = Clinic.in("us");
    expect(api.get("/v1/tenants/" + clinic.tenant.id() + "/fhir-apps", other.token(other.admin)), 403);
  }
}
