package io.caduceus.api.smart;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.ClinicFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** SMART apps' refresh tokens: rotated on use, reuse revokes the chain, bound to the app, the consent and the login. */
class SmartRefreshTokenTest extends ClinicFixture {

  private static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");

  private SmartAppFixture app;
  private String patientId;
  private TestUser patient;

  @BeforeEach
  void anAppAndAPatient() {
    app = SmartAppFixture.register(api, clinic, "patient/Patient.rs", "offline_access", "online_access");
    patientId = clinic.patient("Moreau", "Lea").getString("id");
    patient = platform.patientAccount(clinic.tenant, UUID.fromString(patientId));
  }

  private AccessTokenResponse approved(String scope, String userToken) {
    SmartAppFixture.Launch launch = app.launch(scope);
    return app.exchange(app.approve(launch, userToken), launch.verifier()).toSuccessResponse();
  }

  private static String errorOf(TokenResponse response) {
    assertThat(response.indicatesSuccess()).isFalse();
    return response.toErrorResponse().getErrorObject().getCode();
  }

  @Test
  void anOfflineRefreshTokenIsRotatedAndItsReuseRevokesTheWholeChain() {
    AccessTokenResponse first = approved("patient/Patient.rs offline_access", clinic.token(patient));
    RefreshToken original = first.getTokens().getRefreshToken();
    assertThat(original).isNotNull();
    AccessTokenResponse second = app.refresh(original, null).toSuccessResponse();
    assertThat(second.getCustomParameters().get("patient")).isEqualTo(patientId);
    RefreshToken rotated = second.getTokens().getRefreshToken();
    assertThat(rotated.getValue()).isNotEqualTo(original.getValue());
    String access = second.getTokens().getAccessToken().getValue();
    expect(api.send("GET", "/fhir/r4/Patient/" + patientId, access, null, FHIR), 200);
    assertThat(errorOf(app.refresh(original, null))).isEqualTo("invalid_grant");
    assertThat(errorOf(app.refresh(rotated, null))).isEqualTo("invalid_grant");
    expect(api.send("GET", "/fhir/r4/Patient/" + patientId, access, null, FHIR), 401);
    assertThat(expect(api.get("/v1/smart/consents", clinic.token(patient)), 200).json().getJsonArray("items")
        .getJsonObject(0).getString("revokedAt")).isNotNull();
  }

  @Test
  void anotherAppCannotUseTheRefreshTokenNorBurnIt() {
    RefreshToken token = approved("patient/Patient.rs offline_access", clinic.token(patient)).getTokens()
        .getRefreshToken();
    SmartAppFixture thief = SmartAppFixture.register(api, clinic, "patient/Patient.rs", "offline_access");
    assertThat(errorOf(thief.refresh(token, null))).isEqualTo("invalid_grant");
    assertThat(app.refresh(token, null).indicatesSuccess()).isTrue();
  }

  @Test
  void aRevokedConsentsRefreshTokenFailsWithInvalidGrant() {
    RefreshToken token = approved("patient/Patient.rs offline_access", clinic.token(patient)).getTokens()
        .getRefreshToken();
    String consent = expect(api.get("/v1/smart/consents", clinic.token(patient)), 200).json().getJsonArray("items")
        .getJsonObject(0).getString("id");
    expect(api.delete("/v1/smart/consents/" + consent, clinic.token(patient)), 204);
    assertThat(errorOf(app.refresh(token, null))).isEqualTo("invalid_grant");
  }

  @Test
  void anOnlineRefreshTokenEndsWithTheUsersLoginAndNoneIsIssuedWithoutAsking() {
    String login = platform.login(patient).json().getString("accessToken");
    RefreshToken online = approved("patient/Patient.rs online_access", login).getTokens().getRefreshToken();
    RefreshToken next = app.refresh(online, null).toSuccessResponse().getTokens().getRefreshToken();
    expect(api.post("/v1/auth/logout", login, null), 204);
    assertThat(errorOf(app.refresh(next, null))).isEqualTo("invalid_grant");
    assertThat(approved("patient/Patient.rs", clinic.token(patient)).getTokens().getRefreshToken()).isNull();
  }

  @Test
  void aDisabledAppsRefreshTokenFailsAsTheAppNoLongerAuthenticates() {
    RefreshToken token = approved("patient/Patient.rs offline_access", clinic.token(patient)).getTokens()
        .getRefreshToken();
    expect(api.delete("/v1/tenants/" + clinic.tenant.id() + "/fhir-apps/" + app.appId, clinic.token(clinic.admin)),
        204);
    assertThat(errorOf(app.refresh(token, null))).isEqualTo("invalid_client");
  }
}
