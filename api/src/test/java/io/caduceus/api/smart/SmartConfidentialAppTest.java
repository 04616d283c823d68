package io.caduceus.api.smart;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.caduceus.api.testing.ClinicFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Confidential SMART apps authenticate at the token endpoint with a signed assertion or a client secret. */
class SmartConfidentialAppTest extends ClinicFixture {

  private static String errorOf(TokenResponse response) {
    assertThat(response.indicatesSuccess()).isFalse();
    return response.toErrorResponse().getErrorObject().getCode();
  }

  private SmartAppFixture.Launch approvedByDoctor(SmartAppFixture app) {
    return app.launch("user/Patient.rs offline_access");
  }

  @Test
  void aPrivateKeyJwtAppMustSignAFreshAssertion() throws JOSEException {
    ECKey key = SmartClientFixture.newKey();
    SmartAppFixture app = SmartAppFixture.register(api, clinic, new JsonObject()
        .put("tokenEndpointAuthMethod", "private_key_jwt")
        .put("jwks", new JsonObject().put("keys", new JsonArray().add(new JsonObject(key.toPublicJWK().toJSONObject())))),
        "user/Patient.rs", "offline_access");
    assertThat(app.registered.getString("tokenEndpointAuthMethod")).isEqualTo("private_key_jwt");
    URI endpoint = URI.create(app.config().getString("token_endpoint"));
    PrivateKeyJWT assertion = new PrivateKeyJWT(new ClientID(app.appId), endpoint, JWSAlgorithm.ES384,
        key.toECPrivateKey(), key.getKeyID(), null);

    SmartAppFixture.Launch unsigned = approvedByDoctor(app);
    assertThat(errorOf(app.exchange(app.approve(unsigned, clinic.token(clinic.doctor)), unsigned.verifier())))
        .isEqualTo("invalid_client");

    SmartAppFixture.Launch launch = approvedByDoctor(app);
    AccessTokenResponse tokens = app.exchange(app.approve(launch, clinic.token(clinic.doctor)), launch.verifier(),
        assertion).toSuccessResponse();
    assertThat(tokens.getTokens().getRefreshToken()).isNotNull();
    assertThat(errorOf(app.refresh(tokens.getTokens().getRefreshToken(), assertion))).isEqualTo("invalid_client");
    PrivateKeyJWT fresh = new PrivateKeyJWT(new ClientID(app.appId), endpoint, JWSAlgorithm.ES384,
        key.toECPrivateKey(), key.getKeyID(), null);
    assertThat(app.refresh(tokens.getTokens().getRefreshToken(), fresh).indicatesSuccess()).isTrue();

    ECKey stranger = SmartClientFixture.newKey();
    SmartAppFixture.Launch forged = approvedByDoctor(app);
    assertThat(errorOf(app.exchange(app.approve(forged, clinic.token(clinic.doctor)), forged.verifier(),
        new PrivateKeyJWT(new ClientID(app.appId), endpoint, JWSAlgorithm.ES384, stranger.toECPrivateKey(),
            key.getKeyID(), null)))).isEqualTo("invalid_client");
  }

  @Test
  void aClientSecretIsShownOnceAndChecked() {
    SmartAppFixture app = SmartAppFixture.register(api, clinic,
        new JsonObject().put("tokenEndpointAuthMethod", "client_secret_basic"), "user/Patient.rs");
    String secret = app.registered.getString("clientSecret");
    assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
    String listed = expect(api.get("/v1/tenants/" + clinic.tenant.id() + "/fhir-apps", clinic.token(clinic.admin)), 200)
        .body();
    assertThat(listed).contains(app.appId).doesNotContain(secret).doesNotContain("clientSecret");

    SmartAppFixture.Launch wrong = app.launch("user/Patient.rs");
    TokenResponse refused = app.exchange(app.approve(wrong, clinic.token(clinic.doctor)), wrong.verifier(),
        new ClientSecretBasic(new ClientID(app.appId), new Secret("not-" + secret)));
    assertThat(errorOf(refused)).isEqualTo("invalid_client");

    SmartAppFixture.Launch launch = app.launch("user/Patient.rs");
    AccessTokenResponse tokens = app.exchange(app.approve(launch, clinic.token(clinic.doctor)), launch.verifier(),
        new ClientSecretBasic(new ClientID(app.appId), new Secret(secret))).toSuccessResponse();
    assertThat(tokens.getTokens().getAccessToken().getScope().toString()).isEqualTo("user/Patient.rs");
  }

  @Test
  void publicAppsSendNoCredentialsAndKeysAreOnlyForPrivateKeyJwt() {
    ECKey key = SmartClientFixture.newKey();
    JsonObject jwks = new JsonObject().put("keys", new JsonArray().add(new JsonObject(key.toPublicJWK().toJSONObject())));
    JsonObject body = new JsonObject().put("name", "Diary").put("redirectUris", new JsonArray().add("https://a.example/cb"))
        .put("scopes", new JsonArray().add("user/Patient.rs"));
    expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/fhir-apps", clinic.token(clinic.admin),
        body.copy().put("jwks", jwks)), 400);
    expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/fhir-apps", clinic.token(clinic.admin),
        body.copy().put("tokenEndpointAuthMethod", "private_key_jwt")), 400);
    JsonObject privateKey = new JsonObject().put("keys", new JsonArray().add(new JsonObject(key.toJSONObject())));
    expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/fhir-apps", clinic.token(clinic.admin),
        body.copy().put("tokenEndpointAuthMethod", "private_key_jwt").put("jwks", privateKey)), 400);
    SmartAppFixture open = SmartAppFixture.register(api, clinic, "user/Patient.rs");
    SmartAppFixture.Launch launch = open.launch("user/Patient.rs");
    assertThat(errorOf(open.exchange(open.approve(launch, clinic.token(clinic.doctor)), launch.verifier(),
        new ClientSecretBasic(new ClientID(open.appId), new Secret("guess"))))).isEqualTo("invalid_client");
  }

  @Test
  void aJwksUrlOnLoopbackIsReadAtEachUseSoKeysRotate() throws Exception {
    expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/fhir-apps", clinic.token(clinic.admin), new JsonObject()
        .put("name", "Remote keys").put("redirectUris", new JsonArray().add("https://a.example/cb"))
        .put("scopes", new JsonArray().add("user/Patient.rs")).put("tokenEndpointAuthMethod", "private_key_jwt")
        .put("jwksUri", "https://keys.example/jwks.json")), 400);
    java.util.concurrent.atomic.AtomicReference<ECKey> served = new java.util.concurrent.atomic.AtomicReference<>(
        SmartClientFixture.newKey());
    com.sun.net.httpserver.HttpServer keys = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    keys.createContext("/jwks.json", exchange -> {
      byte[] body = new JsonObject().put("keys", new JsonArray()
          .add(new JsonObject(served.get().toPublicJWK().toJSONObject()))).encode().getBytes();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    keys.start();
    try {
      SmartAppFixture app = SmartAppFixture.register(api, clinic, new JsonObject()
          .put("tokenEndpointAuthMethod", "private_key_jwt")
          .put("jwksUri", "http://127.0.0.1:" + keys.getAddress().getPort() + "/jwks.json"), "user/Patient.rs");
      URI endpoint = URI.create(app.config().getString("token_endpoint"));
      ECKey first = served.get();
      SmartAppFixture.Launch launch = app.launch("user/Patient.rs");
      assertThat(app.exchange(app.approve(launch, clinic.token(clinic.doctor)), launch.verifier(),
          new PrivateKeyJWT(new ClientID(app.appId), endpoint, JWSAlgorithm.ES384, first.toECPrivateKey(),
              first.getKeyID(), null)).indicatesSuccess()).isTrue();
      served.set(SmartClientFixture.newKey());
      SmartAppFixture.Launch rotated = app.launch("user/Patient.rs");
      com.nimbusds.oauth2.sdk.AuthorizationCode code = app.approve(rotated, clinic.token(clinic.doctor));
      assertThat(errorOf(app.exchange(code, rotated.verifier(),
          new PrivateKeyJWT(new ClientID(app.appId), endpoint, JWSAlgorithm.ES384, first.toECPrivateKey(),
              first.getKeyID(), null)))).isEqualTo("invalid_client");
      ECKey second = served.get();
      assertThat(app.exchange(code, rotated.verifier(),
          new PrivateKeyJWT(new ClientID(app.appId), endpoint, JWSAlgorithm.ES384, second.toECPrivateKey(),
              second.getKeyID(), null)).indicatesSuccess()).isTrue();
    } finally {
      keys.stop(0);
    }
  }
}
