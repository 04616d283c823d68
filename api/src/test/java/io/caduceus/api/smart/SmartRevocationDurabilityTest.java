package io.caduceus.api.smart;

import io.caduceus.api.boot.Application;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.RestartableRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;

/**
 * A disabled SMART client's and a revoked consent's tokens stay refused when Redis loses its revocation flags: PostgreSQL is the truth. A node
 * of the test deployment runs on a Redis this test owns, so it can flush it.
 */
class SmartRevocationDurabilityTest {

  private static final TestPlatform platform = TestPlatform.get();
  private static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");
  private static RestartableRedis redis;
  private static Application node;
  private static Api api;

  @BeforeAll
  static void aNodeOnARedisOfItsOwn() throws IOException {
    redis = RestartableRedis.start(Files.createTempDirectory("caduceus-test-redis"));
    node = platform.sibling(Map.of("CADUCEUS_REDIS_URL", redis.url()));
    api = new Api(node.port());
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      await(node.stop());
    }
    redis.close();
  }

  @Test
  void aDisabledClientsTokenStaysRefusedAfterARedisFlush() {
    Clinic clinic = Clinic.in("us");
    String id = clinic.patient("Lind", "Sara").getString("id");
    SmartClientFixture client = SmartClientFixture.register(api, clinic, "physician", "system/Patient.rs");
    String token = client.token("system/Patient.rs");
    expect(api.send("GET", "/fhir/r4/Patient/" + id, token, null, FHIR), 200);
    expect(api.delete("/v1/tenants/" + clinic.tenant.id() + "/fhir-clients/" + client.id, clinic.token(clinic.admin)),
        204);
    expect(api.send("GET", "/fhir/r4/Patient/" + id, token, null, FHIR), 401);
    redis.flushAll();
    expect(api.send("GET", "/fhir/r4/Patient/" + id, token, null, FHIR), 401);
  }

  @Test
  void aRevokedConsentsTokenStaysRefusedAfterARedisFlush() {
    Clinic clinic = Clinic.in("us");
    String id = clinic.patient("Strand", "Ida").getString("id");
    TestPlatform.TestUser patient = platform.patientAccount(clinic.tenant, UUID.fromString(id));
    String token = SmartAppFixture.register(api, clinic, "patient/Patient.rs")
        .token("patient/Patient.rs", clinic.token(patient));
    expect(api.send("GET", "/fhir/r4/Patient/" + id, token, null, FHIR), 200);
    String consent = expect(api.get("/v1/smart/consents", clinic.token(patient)), 200).json().getJsonArray("items")
        .getJsonObject(0).getString("id");
    expect(api.delete("/v1/smart/consents/" + consent, clinic.token(patient)), 204);
    expect(api.send("GET", "/fhir/r4/Patient/" + id, token, null, FHIR), 401);
    redis.flushAll();
    expect(api.send("GET", "/fhir/r4/Patient/" + id, token, null, FHIR), 401);
  }

  @Test
  void refreshTokensLiveInPostgresqlAcrossARedisFlushAndARevocationStaysFinal() {
    Clinic clinic = Clinic.in("us");
    String id = clinic.patient("Berg", "Ola").getString("id");
    TestPlatform.TestUser patient = platform.patientAccount(clinic.tenant, UUID.fromString(id));
    SmartAppFixture app = SmartAppFixture.register(api, clinic, "patient/Patient.rs", "offline_access");
    SmartAppFixture.Launch launch = app.launch("patient/Patient.rs offline_access");
    com.nimbusds.oauth2.sdk.token.RefreshToken first = app.exchange(app.approve(launch, clinic.token(patient)),
        launch.verifier()).toSuccessResponse().getTokens().getRefreshToken();
    redis.flushAll();
    com.nimbusds.oauth2.sdk.AccessTokenResponse refreshed = app.refresh(first, null).toSuccessResponse();
    expect(api.send("GET", "/fhir/r4/Patient/" + id, refreshed.getTokens().getAccessToken().getValue(), null, FHIR),
        200);
    String consent = expect(api.get("/v1/smart/consents", clinic.token(patient)), 200).json().getJsonArray("items")
        .getJsonObject(0).getString("id");
    expect(api.delete("/v1/smart/consents/" + consent, clinic.token(patient)), 204);
    redis.flushAll();
    org.assertj.core.api.Assertions.assertThat(app.refresh(refreshed.getTokens().getRefreshToken(), null)
        .toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
    expect(api.send("GET", "/fhir/r4/Patient/" + id, refreshed.getTokens().getAccessToken().getValue(), null, FHIR),
        401);
  }
}
