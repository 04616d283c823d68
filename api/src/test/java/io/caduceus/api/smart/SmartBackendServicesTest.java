package io.caduceus.api.smart;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import io.caduceus.api.fhir.FhirValidation;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.AuditRows;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.routing.IsolationTier;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** SMART Backend Services: discovery, private_key_jwt client credentials, scopes confining the token, disabling. */
class SmartBackendServicesTest extends ClinicFixture {

  private static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");

  @Test
  void discoveryIsPublicUnderTheFhirBaseAndTheRoot() {
    for (String path : List.of("/fhir/r4/.well-known/smart-configuration", "/.well-known/smart-configuration")) {
      JsonObject config = expect(api.get(path, null), 200).json();
      assertThat(config.getString("token_endpoint")).endsWith("/oauth2/token");
      assertThat(config.getJsonArray("token_endpoint_auth_methods_supported")).contains("private_key_jwt");
      assertThat(config.getJsonArray("grant_types_supported")).contains("client_credentials");
      assertThat(config.getJsonArray("code_challenge_methods_supported")).containsExactly("S256");
      assertThat(config.getJsonArray("capabilities")).contains("client-confidential-asymmetric");
      assertThat(config.getJsonArray("scopes_supported")).contains("system/Patient.rs");
    }
  }

  @Test
  void aSystemTokenReadsItsTenantsPatientsOnly() {
    String mine = clinic.patient("Adeyemi", "Tolu").getString("id");
    String theirs = Clinic.in("us").patient("Berg", "Ola").getString("id");
    SmartClientFixture client = SmartClientFixture.register(api, clinic, "physician", "system/Patient.rs");
    String token = client.token("system/Patient.rs");
    Api.Response read = expect(api.send("GET", "/fhir/r4/Patient/" + mine, token, null, FHIR), 200);
    assertThat(read.json().getString("id")).isEqualTo(mine);
    FhirValidation.assertValid(read.body());
    Api.Response other = expect(api.send("GET", "/fhir/r4/Patient/" + theirs, token, null, FHIR), 404);
    FhirValidation.assertValid(other.body());
  }

  @Test
  void aScopedTokenKeepsItsRolesProjection() {
    String id = clinic.patient(new JsonObject().put("mrn", "S-1")
        .put("contact", new JsonObject().put("email", "ada.okoro@example.org"))
        .put("name", new JsonObject().put("family", "Okoro").put("given", "Ada"))
        .put("birthDate", "1981-04-05").put("sex", "female")).getString("id");
    String asDesk = expect(api.send("GET", "/fhir/r4/Patient/" + id, clinic.token(clinic.desk), null, FHIR), 200)
        .body();
    String asDoctor = expect(api.send("GET", "/fhir/r4/Patient/" + id, clinic.token(clinic.doctor), null, FHIR), 200)
        .body();
    String deskClient = SmartClientFixture.register(api, clinic, "receptionist", "system/Patient.read")
        .token("system/Patient.read");
    String doctorClient = SmartClientFixture.register(api, clinic, "physician", "system/*.read")
        .token("system/Patient.read");
    assertThat(asDesk).contains("ada.okoro@example.org");
    assertThat(new JsonObject(expect(api.send("GET", "/fhir/r4/Patient/" + id, deskClient, null, FHIR), 200).body()))
        .isEqualTo(new JsonObject(asDesk));
    assertThat(new JsonObject(expect(api.send("GET", "/fhir/r4/Patient/" + id, doctorClient, null, FHIR), 200).body()))
        .isEqualTo(new JsonObject(asDoctor));
  }

  @Test
  void aTypeNoScopeNamesIsForbiddenAndV1OperationsAreRefused() {
    String id = clinic.patient("Nwosu", "Ike").getString("id");
    SmartClientFixture client = SmartClientFixture.register(api, clinic, "physician", "system/Observation.rs",
        "system/Patient.rs");
    String observationsOnly = client.token("system/Observation.rs");
    Api.Response refused = expect(api.send("GET", "/fhir/r4/Patient/" + id, observationsOnly, null, FHIR), 403);
    FhirValidation.assertValid(refused.body());
    String patients = client.token("system/Patient.rs");
    expect(api.get("/v1/patients/" + id, patients), 403);
    expect(api.get("/v1/patients", patients), 403);
    expect(api.get("/v1/auth/me", patients), 403);
  }

  @Test
  void scopesBeyondTheClientsAreRefusedAsInvalidScope() {
    SmartClientFixture client = SmartClientFixture.register(api, clinic, "physician", "system/Patient.rs");
    assertError(client.request(client.assertion(), "system/Observation.rs"), 400, "invalid_scope");
    assertError(client.request(client.assertion(), "system/Patient.cruds"), 400, "invalid_scope");
  }

  @Test
  void aReplayedAssertionIsRefused() {
    SmartClientFixture client = SmartClientFixture.register(api, clinic, "physician", "system/Patient.rs");
    PrivateKeyJWT once = (PrivateKeyJWT) client.assertion();
    assertThat(client.request(once, "system/Patient.rs").getStatusCode()).isEqualTo(200);
    assertError(client.request(once, "system/Patient.rs"), 401, "invalid_client");
  }

  @Test
  void badSignaturesExpiredAssertionsAndOtherAudiencesAreRefused() throws JOSEException {
    SmartClientFixture client = SmartClientFixture.register(api, clinic, "physician", "system/Patient.rs");
    ECKey stranger = SmartClientFixture.newKey();
    Instant now = Instant.now();
    String endpoint = client.tokenEndpoint.toString();
    assertError(client.request(signed(client, stranger, endpoint, now.plusSeconds(120)), null), 401, "invalid_client");
    assertError(client.request(signed(client, client.key, endpoint, now.minusSeconds(5)), null), 401,
        "invalid_client");
    assertError(client.request(signed(client, client.key, endpoint, now.plusSeconds(3600)), null), 401,
        "invalid_client");
    assertError(client.request(signed(client, client.key, "https://elsewhere.example/token", now.plusSeconds(120)),
        null), 401, "invalid_client");
    assertThat(client.request(signed(client, client.key, endpoint, now.plusSeconds(120)), null).getStatusCode())
        .isEqualTo(200);
  }

  @Test
  void aDisabledClientsTokensStopOnTheNextRequest() {
    String id = clinic.patient("Eze", "Chi").getString("id");
    SmartClientFixture client = SmartClientFixture.register(api, clinic, "physician", "system/Patient.rs");
    String token = client.token("system/Patient.rs");
    expect(api.send("GET", "/fhir/r4/Patient/" + id, token, null, FHIR), 200);
    Clinic other = Clinic.in("us");
    expect(api.delete("/v1/tenants/" + other.tenant.id() + "/fhir-clients/" + client.id, other.token(other.admin)),
        404);
    expect(api.delete("/v1/tenants/" + clinic.tenant.id() + "/fhir-clients/" + client.id, other.token(other.admin)),
        403);
    expect(api.delete("/v1/tenants/" + clinic.tenant.id() + "/fhir-clients/" + client.id, clinic.token(clinic.admin)),
        204);
    expect(api.send("GET", "/fhir/r4/Patient/" + id, token, null, FHIR), 401);
    assertError(client.request(client.assertion(), "system/Patient.rs"), 401, "invalid_client");
    JsonObject listed = expect(api.get("/v1/tenants/" + clinic.tenant.id() + "/fhir-clients",
        clinic.token(clinic.admin)), 200).json();
    assertThat(listed.getJsonArray("items").getJsonObject(0).getBoolean("enabled")).isFalse();
    assertThat(AuditRows.of(platform, clinic.tenant, "smart_client.create")).hasSize(1);
    assertThat(AuditRows.of(platform, clinic.tenant, "smart_client.disable"))
        .anySatisfy(row -> assertThat(row).startsWith("smart_client " + client.id));
    assertThat(AuditRows.of(platform, clinic.tenant, "patient.read"))
        .anySatisfy(row -> assertThat(row).startsWith("patient " + id));
  }

  @Test
  void aSystemTokenOfASchemaTierClinicReadsItsOwnPatientsOnly() {
    Clinic schema = Clinic.in("us", IsolationTier.SCHEMA);
    String mine = schema.patient("Kowalski", "Jan").getString("id");
    String shared = clinic.patient("Novak", "Eva").getString("id");
    String token = SmartClientFixture.register(api, schema, "nurse", "system/Patient.rs").token(null);
    FhirValidation.assertValid(expect(api.send("GET", "/fhir/r4/Patient/" + mine, token, null, FHIR), 200).body());
    expect(api.send("GET", "/fhir/r4/Patient/" + shared, token, null, FHIR), 404);
    String sharedToken = SmartClientFixture.register(api, clinic, "nurse", "system/Patient.rs").token(null);
    expect(api.send("GET", "/fhir/r4/Patient/" + mine, sharedToken, null, FHIR), 404);
  }

  @Test
  void registrationRefusesPrivateKeysAndNonSystemScopes() {
    ECKey key = SmartClientFixture.newKey();
    String path = "/v1/tenants/" + clinic.tenant.id() + "/fhir-clients";
    JsonObject body = new JsonObject().put("name", "x").put("roles", new io.vertx.core.json.JsonArray().add("nurse"))
        .put("scopes", new io.vertx.core.json.JsonArray().add("system/Patient.rs"))
        .put("jwks", new JsonObject().put("keys", new io.vertx.core.json.JsonArray().add(
            new JsonObject(key.toJSONObject()))));
    expect(api.post(path, clinic.token(clinic.admin), body), 400);
    body.put("jwks", new JsonObject().put("keys", new io.vertx.core.json.JsonArray().add(
        new JsonObject(key.toPublicJWK().toJSONObject()))));
    expect(api.post(path, clinic.token(clinic.admin), body.copy().put("scopes",
        new io.vertx.core.json.JsonArray().add("patient/Patient.rs"))), 400);
    expect(api.post(path, clinic.token(clinic.doctor), body), 403);
    expect(api.post(path, clinic.token(clinic.admin), body), 201);
  }

  private static PrivateKeyJWT signed(SmartClientFixture client, ECKey key, String audience, Instant exp)
      throws JOSEException {
    ClientID id = new ClientID(client.id);
    JWTAuthenticationClaimsSet claims = new JWTAuthenticationClaimsSet(id, List.of(new Audience(audience)),
        Date.from(exp), null, new Date(), new JWTID());
    return new PrivateKeyJWT(claims, JWSAlgorithm.ES384, key.toECPrivateKey(), key.getKeyID(), null);
  }

  private static void assertError(HTTPResponse response, int status, String code) {
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
    try {
      TokenResponse parsed = TokenResponse.parse(response);
      assertThat(parsed.indicatesSuccess()).isFalse();
      assertThat(parsed.toErrorResponse().getErrorObject().getCode()).isEqualTo(code);
    } catch (ParseException e) {
      throw new AssertionError(e);
    }
  }
}
