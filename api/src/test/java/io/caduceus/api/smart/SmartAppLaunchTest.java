package io.caduceus.api.smart;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.fhir.FhirValidation;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** SMART standalone launch: an app registered by the admin, approved by a user, tokens confined to their context. */
class SmartAppLaunchTest extends ClinicFixture {

  private static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");
  private static final URI CALLBACK = URI.create("https://diary.example/callback");

  private JsonObject config;
  private String appId;

  @BeforeEach
  void anApp() {
    config = expect(api.get("/fhir/r4/.well-known/smart-configuration", null), 200).json();
    appId = expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/fhir-apps", clinic.token(clinic.admin),
        new JsonObject().put("name", "Health diary").put("redirectUris", new JsonArray().add(CALLBACK.toString()))
            .put("scopes", new JsonArray().add("patient/Patient.rs").add("launch/patient").add("user/Patient.read"))),
        201).json().getString("clientId");
  }

  /** What a launch leaves the app with: its verifier, and the pending request the portal shows. */
  private record Launch(CodeVerifier verifier, State state, String requestId) {
  }

  @Test
  void aPatientApprovedAppReadsThatPatientOnlyUntilTheConsentIsRevoked() {
    String mine = clinic.patient("Moreau", "Lea").getString("id");
    String neighbour = clinic.patient("Dubois", "Jean").getString("id");
    TestUser patient = platform.patientAccount(clinic.tenant, UUID.fromString(mine));
    Launch launch = launch("patient/Patient.rs launch/patient");
    JsonObject approved = expect(api.post("/v1/smart/authorizations/" + launch.requestId + "/approve",
        clinic.token(patient), new JsonObject()), 200).json();
    AuthorizationCode code = code(approved.getString("redirectTo"), launch.state);
    AccessTokenResponse tokens = exchange(code, launch.verifier).toSuccessResponse();
    assertThat(tokens.getCustomParameters().get("patient")).isEqualTo(mine);
    String token = tokens.getTokens().getAccessToken().getValue();
    Api.Response read = expect(api.send("GET", "/fhir/r4/Patient/" + mine, token, null, FHIR), 200);
    FhirValidation.assertValid(read.body());
    expect(api.send("GET", "/fhir/r4/Patient/" + neighbour, token, null, FHIR), 404);
    expect(api.get("/v1/portal/records", token), 403);
    TokenResponse again = exchange(code, launch.verifier);
    assertThat(again.indicatesSuccess()).isFalse();
    assertThat(again.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
    JsonArray consents = expect(api.get("/v1/smart/consents", clinic.token(patient)), 200).json().getJsonArray("items");
    assertThat(consents).hasSize(1);
    String consentId = consents.getJsonObject(0).getString("id");
    expect(api.delete("/v1/smart/consents/" + consentId, clinic.token(clinic.desk)), 404);
    expect(api.delete("/v1/smart/consents/" + consentId, clinic.token(patient)), 204);
    expect(api.send("GET", "/fhir/r4/Patient/" + mine, token, null, FHIR), 401);
  }

  @Test
  void aWrongVerifierOrRedirectIsRefusedAndPatientScopesNeedAPatient() {
    Launch launch = launch("patient/Patient.rs");
    expect(api.post("/v1/smart/authorizations/" + launch.requestId + "/approve", clinic.token(clinic.desk),
        new JsonObject()), 403);
    String id = clinic.patient("Petit", "Luc").getString("id");
    TestUser patient = platform.patientAccount(clinic.tenant, UUID.fromString(id));
    Launch second = launch("patient/Patient.rs");
    JsonObject approved = expect(api.post("/v1/smart/authorizations/" + second.requestId + "/approve",
        clinic.token(patient), new JsonObject()), 200).json();
    TokenResponse wrong = exchange(code(approved.getString("redirectTo"), second.state), new CodeVerifier());
    assertThat(wrong.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
    Api.Response badRedirect = api.get("/oauth2/authorize?response_type=code&client_id=" + appId
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
    Launch launch = launch("user/Patient.read");
    JsonObject approved = expect(api.post("/v1/smart/authorizations/" + launch.requestId + "/approve",
        clinic.token(clinic.desk), new JsonObject()), 200).json();
    String token = exchange(code(approved.getString("redirectTo"), launch.state), launch.verifier)
        .toSuccessResponse().getTokens().getAccessToken().getValue();
    String asDesk = expect(api.send("GET", "/fhir/r4/Patient/" + id, clinic.token(clinic.desk), null, FHIR), 200)
        .body();
    assertThat(asDesk).contains("noor@example.org");
    assertThat(new JsonObject(expect(api.send("GET", "/fhir/r4/Patient/" + id, token, null, FHIR), 200).body()))
        .isEqualTo(new JsonObject(asDesk));
    expect(api.get("/v1/patients/" + id, token), 403);
    expect(api.delete("/v1/tenants/" + clinic.tenant.id() + "/fhir-apps/" + appId, clinic.token(clinic.admin)), 204);
    expect(api.send("GET", "/fhir/r4/Patient/" + id, token, null, FHIR), 401);
    Clinic other = Clinic.in("us");
    expect(api.get("/v1/tenants/" + clinic.tenant.id() + "/fhir-apps", other.token(other.admin)), 403);
  }

  /** Starts a standalone launch as the app would, and follows the redirect to the portal's consent page. */
  private Launch launch(String scope) {
    CodeVerifier verifier = new CodeVerifier();
    State state = new State();
    URI request = new AuthorizationRequest.Builder(new ResponseType("code"), new ClientID(appId))
        .endpointURI(URI.create(config.getString("authorization_endpoint")))
        .redirectionURI(CALLBACK).scope(Scope.parse(scope)).state(state)
        .codeChallenge(verifier, CodeChallengeMethod.S256)
        .customParameter("aud", fhirBase())
        .build().toURI();
    Api.Response handed = expect(api.get(request.getRawPath() + "?" + request.getRawQuery(), null), 302);
    String location = handed.header("Location");
    assertThat(location).contains("request=");
    return new Launch(verifier, state, location.substring(location.indexOf("request=") + "request=".length()));
  }

  private String fhirBase() {
    String endpoint = config.getString("token_endpoint");
    return endpoint.substring(0, endpoint.length() - "/oauth2/token".length()) + "/fhir/r4";
  }

  private static AuthorizationCode code(String redirectTo, State state) {
    try {
      AuthorizationResponse response = AuthorizationResponse.parse(URI.create(redirectTo));
      assertThat(response.getState()).isEqualTo(state);
      return response.toSuccessResponse().getAuthorizationCode();
    } catch (ParseException e) {
      throw new AssertionError(e);
    }
  }

  private TokenResponse exchange(AuthorizationCode code, CodeVerifier verifier) {
    try {
      return TokenResponse.parse(new TokenRequest(URI.create(config.getString("token_endpoint")), new ClientID(appId),
          new AuthorizationCodeGrant(code, CALLBACK, verifier), null).toHTTPRequest().send());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ParseException e) {
      throw new AssertionError(e);
    }
  }
}
