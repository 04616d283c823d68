package io.caduceus.api.smart;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.ClinicFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code openid fhirUser}: an id_token a real OpenID Connect client validates, naming the user's FHIR record. */
class SmartOpenIdTest extends ClinicFixture {

  private IDTokenClaimsSet validated(SmartAppFixture app, TokenResponse response, Nonce nonce) throws Exception {
    assertThat(response).isInstanceOf(OIDCTokenResponse.class);
    JWT idToken = ((OIDCTokenResponse) response).getOIDCTokens().getIDToken();
    JsonObject config = app.config();
    String jwks = expect(api.get("/.well-known/jwks.json", null), 200).body();
    assertThat(config.getString("jwks_uri")).endsWith("/.well-known/jwks.json");
    IDTokenValidator validator = new IDTokenValidator(new Issuer(config.getString("issuer")), new ClientID(app.appId),
        JWSAlgorithm.ES256, JWKSet.parse(jwks));
    return validator.validate(idToken, nonce);
  }

  private static String fhirBase(SmartAppFixture app) {
    String endpoint = app.config().getString("token_endpoint");
    return endpoint.substring(0, endpoint.length() - "/oauth2/token".length()) + "/fhir/r4";
  }

  @Test
  void aPatientsIdTokenNamesTheirPatientRecordAndCarriesTheNonce() throws Exception {
    String id = clinic.patient("Moreau", "Lea").getString("id");
    TestUser patient = platform.patientAccount(clinic.tenant, UUID.fromString(id));
    SmartAppFixture app = SmartAppFixture.register(api, clinic, "patient/Patient.rs", "openid", "fhirUser");
    Nonce nonce = new Nonce();
    SmartAppFixture.Launch launch = app.launch("openid fhirUser patient/Patient.rs", Map.of("nonce", nonce.getValue()));
    TokenResponse response = app.exchange(app.approve(launch, clinic.token(patient)), launch.verifier());
    IDTokenClaimsSet claims = validated(app, response, nonce);
    assertThat(claims.getSubject().getValue()).isEqualTo(patient.id().toString());
    assertThat(claims.getAudience()).extracting(a -> a.getValue()).containsExactly(app.appId);
    assertThat(claims.getStringClaim("fhirUser")).isEqualTo(fhirBase(app) + "/Patient/" + id);
    SmartAppFixture other = SmartAppFixture.register(api, clinic, "patient/Patient.rs", "openid", "fhirUser");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new IDTokenValidator(
            new Issuer(app.config().getString("issuer")), new ClientID(other.appId), JWSAlgorithm.ES256,
            JWKSet.parse(expect(api.get("/.well-known/jwks.json", null), 200).body()))
        .validate(((OIDCTokenResponse) response).getOIDCTokens().getIDToken(), nonce))
        .isInstanceOf(com.nimbusds.jose.proc.BadJOSEException.class);
  }

  @Test
  void aPhysiciansIdTokenNamesTheirPractitionerRecordAndNoOpenIdMeansNoIdToken() throws Exception {
    SmartAppFixture app = SmartAppFixture.register(api, clinic, "user/Patient.rs", "openid", "fhirUser");
    SmartAppFixture.Launch launch = app.launch("openid fhirUser user/Patient.rs");
    TokenResponse response = app.exchange(app.approve(launch, clinic.token(clinic.doctor)), launch.verifier());
    IDTokenClaimsSet claims = validated(app, response, null);
    assertThat(claims.getStringClaim("fhirUser")).isEqualTo(fhirBase(app) + "/Practitioner/" + clinic.practitionerId);
    SmartAppFixture.Launch plain = app.launch("user/Patient.rs");
    TokenResponse without = app.exchange(app.approve(plain, clinic.token(clinic.doctor)), plain.verifier());
    assertThat(without.toSuccessResponse().getCustomParameters()).doesNotContainKey("id_token");
    assertThat(((OIDCTokenResponse) without).getOIDCTokens().getIDToken()).isNull();
  }

  @Test
  void discoveryListsExactlyWhatWorks() {
    JsonObject config = expect(api.get("/.well-known/smart-configuration", null), 200).json();
    assertThat(config.getJsonArray("capabilities")).contains("launch-standalone", "launch-ehr", "client-public",
        "client-confidential-asymmetric", "client-confidential-symmetric", "sso-openid-connect",
        "permission-offline", "permission-online", "context-ehr-patient", "context-ehr-encounter");
    assertThat(config.getJsonArray("grant_types_supported"))
        .containsExactlyInAnyOrder("client_credentials", "authorization_code", "refresh_token");
    assertThat(config.getJsonArray("token_endpoint_auth_methods_supported"))
        .containsExactlyInAnyOrder("private_key_jwt", "client_secret_basic", "none");
    assertThat(config.getJsonArray("scopes_supported")).contains("openid", "fhirUser", "offline_access",
        "online_access", "launch", "launch/patient");
  }
}
