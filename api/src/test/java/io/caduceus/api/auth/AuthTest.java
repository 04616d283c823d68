package io.caduceus.api.auth;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.http.Contract;
import io.caduceus.api.testing.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

class AuthTest extends ClinicFixture {

  /** A physician of the clinic (the user as a member of it) who is also a member of {@code second}, as {@code role}. */
  private TestUser locum(Clinic second, String role) {
    TestUser locum = platform.user(clinic.tenant, "physician");
    platform.join(locum, second.tenant, role);
    return locum;
  }

  @Test
  void loginActivatesTheFirstMembershipAndListsEveryTenant() {
    Clinic second = Clinic.in("eu");
    TestUser locum = locum(second, "physician");
    JsonObject session = expect(api.post("/v1/auth/login", null, credentials(locum)), 200).json();
    assertThat(session.getString("tokenType")).isEqualTo("Bearer");
    assertThat(session.getInteger("expiresIn")).isEqualTo(600);
    assertThat(session.getJsonObject("activeTenant").getString("tenantId")).isEqualTo(clinic.tenant.id().toString());
    assertThat(session.getJsonArray("memberships")).hasSize(2);
    JsonObject chosen = expect(api.post("/v1/auth/login", null, credentials(locum)
        .put("tenantId", second.tenant.id().toString())), 200).json();
    assertThat(chosen.getJsonObject("activeTenant").getString("dataRegion")).isEqualTo("eu");
    expect(api.post("/v1/auth/login", null, credentials(locum).put("tenantId", Clinic.in("us").tenant.id().toString())),
        403);
  }

  @Test
  void aFailedLoginDoesNotSayWhetherTheAccountExists() {
    Api.Response wrongPassword = expect(api.post("/v1/auth/login", null, new JsonObject()
        .put("email", clinic.desk.email()).put("password", "wrong")), 401);
    Api.Response noSuchUser = expect(api.post("/v1/auth/login", null, new JsonObject()
        .put("email", "nobody-" + UUID.randomUUID() + "@nowhere.test").put("password", "wrong")), 401);
    assertThat(wrongPassword.json().getString("detail")).isEqualTo(noSuchUser.json().getString("detail"));
  }

  @Test
  void repeatedFailuresAreThrottledEvenForTheRightPassword() {
    TestUser victim = platform.user(clinic.tenant, "receptionist");
    JsonObject wrong = new JsonObject().put("email", victim.email()).put("password", "guess");
    for (int i = 0; i < 5; i++) {
      expect(api.post("/v1/auth/login", null, wrong), 401);
    }
    Api.Response throttled = expect(api.post("/v1/auth/login", null, credentials(victim)), 429);
    assertThat(Integer.parseInt(throttled.header("Retry-After"))).isPositive();
  }

  @Test
  void parallelGuessesCannotSlipPastTheThrottle() throws Exception {
    TestUser victim = platform.user(clinic.tenant, "receptionist");
    JsonObject wrong = new JsonObject().put("email", victim.email()).put("password", "guess");
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Future<Integer>> attempts = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        attempts.add(pool.submit(() -> api.post("/v1/auth/login", null, wrong).status()));
      }
      long checked = 0;
      for (Future<Integer> attempt : attempts) {
        int status = attempt.get();
        assertThat(status).isIn(401, 429);
        checked += status == 401 ? 1 : 0;
      }
      assertThat(checked).as("passwords actually checked").isLessThanOrEqualTo(5);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void anAccessTokenIsAnEs256JwtVerifiableWithThePublishedKeys() throws Exception {
    String token = platform.login(clinic.doctor).json().getString("accessToken");
    JsonObject header = Tokens.header(token);
    JsonObject claims = Tokens.payload(token);
    assertThat(header.getString("alg")).isEqualTo("ES256");
    JsonObject jwk = api.get("/.well-known/jwks.json", null).json().getJsonArray("keys").stream()
        .map(k -> (JsonObject) k).filter(k -> k.getString("kid").equals(header.getString("kid"))).findFirst()
        .orElseThrow();
    Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
    ecdsa.initVerify(publicKey(jwk));
    String[] parts = token.split("\\.");
    ecdsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(ecdsa.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    assertThat(claims.getString("sub")).isEqualTo(clinic.doctor.id().toString());
    assertThat(claims.getString("tid")).isEqualTo(clinic.tenant.id().toString());
    assertThat(claims.getJsonArray("roles")).containsExactly("physician");
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(600);
  }

  @Test
  void aTokenSignedByTheServerIsRefusedWhenExpiredOrWithoutExpiry() {
    JsonObject claims = Tokens.payload(clinic.token(clinic.desk)).copy();
    claims.remove("exp");
    claims.remove("iat");
    expect(api.get("/v1/patients", platform.signed(claims, 0)), 401);
    long now = System.currentTimeMillis() / 1000;
    expect(api.get("/v1/patients", platform.signed(claims.copy().put("exp", now - 120), 0)), 401);
    expect(api.get("/v1/patients", platform.signed(claims, 120)), 200);
  }

  @Test
  void anExpiredTokenSaysSoSoTheAppRefreshesAndAForgedOneDoesNotSayWhy() {
    JsonObject claims = Tokens.payload(clinic.token(clinic.desk)).copy();
    claims.remove("iat");
    long now = System.currentTimeMillis() / 1000;
    Api.Response expired = expect(api.get("/v1/patients", platform.signed(claims.copy().put("exp", now - 120), 0)), 401);
    assertThat(expired.header("WWW-Authenticate")).startsWith("Bearer ").contains("error=\"invalid_token\"")
        .contains("error_description=").contains("expired");
    assertThat(expired.json().getString("type")).isEqualTo("urn:caduceus:problem:token-expired");
    assertThat(expired.json().getString("detail")).contains("expired");

    String genuine = platform.signed(claims.copy().put("exp", now + 120), 0);
    JsonObject expiredClaims = claims.copy().put("exp", now - 120);
    List<String> forgeries = List.of(Tokens.withPayload(genuine, expiredClaims),
        Tokens.signedByAnotherKey(Tokens.header(genuine), expiredClaims),
        genuine.substring(0, genuine.lastIndexOf('.') + 1) + "AAAA", "bm90.YS1qd3Q.AAAA");
    for (String bad : forgeries) {
      Api.Response refused = expect(api.get("/v1/patients", bad), 401);
      assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
      assertThat(refused.json().getString("type")).isEqualTo("urn:caduceus:problem:unauthorized");
      assertThat(refused.body()).doesNotContain("expired");
    }
    assertThat(expect(api.get("/v1/patients", null), 401).header("WWW-Authenticate")).isEqualTo("Bearer");
  }

  @Test
  void aRefreshTokenWorksOnceAndItsReuseEndsTheWholeSession() {
    JsonObject first = platform.login(clinic.desk).json();
    JsonObject second = expect(refresh(first.getString("refreshToken"), Map.of()), 200).json();
    assertThat(second.getString("refreshToken")).isNotEqualTo(first.getString("refreshToken"));
    expect(api.get("/v1/patients", second.getString("accessToken")), 200);
    expect(refresh(first.getString("refreshToken"), Map.of()), 401);
    expect(refresh(second.getString("refreshToken"), Map.of()), 401);
    expect(api.get("/v1/patients", second.getString("accessToken")), 401);
    expect(api.get("/v1/patients", first.getString("accessToken")), 401);
  }

  @Test
  void aSpentRefreshTokenReplayedWithItsIdempotencyKeyTripsReuseDetection() {
    String refreshToken = platform.login(clinic.desk).json().getString("refreshToken");
    Map<String, String> key = Map.of("Idempotency-Key", "refresh-" + UUID.randomUUID());
    JsonObject rotated = expect(refresh(refreshToken, key), 200).json();
    Api.Response replayed = expect(refresh(refreshToken, key), 401);
    assertThat(replayed.header("Idempotent-Replayed")).isNull();
    assertThat(replayed.body()).doesNotContain(rotated.getString("accessToken"), rotated.getString("refreshToken"));
    expect(api.get("/v1/patients", rotated.getString("accessToken")), 401);
    expect(refresh(rotated.getString("refreshToken"), Map.of()), 401);
  }

  @Test
  void tokenEndpointsNeverReplayCredentialsFromTheIdempotencyStore() {
    Clinic second = Clinic.in("eu");
    TestUser locum = locum(second, "physician");
    Map<String, String> key = Map.of("Idempotency-Key", "login-" + UUID.randomUUID());
    Api.Response first = expect(api.post("/v1/auth/login", null, credentials(locum), key), 200);
    Api.Response again = expect(api.post("/v1/auth/login", null, credentials(locum), key), 200);
    assertThat(again.header("Idempotent-Replayed")).isNull();
    assertThat(again.json().getString("refreshToken")).isNotEqualTo(first.json().getString("refreshToken"));
    String token = first.json().getString("accessToken");
    JsonObject target = new JsonObject().put("tenantId", second.tenant.id().toString());
    Map<String, String> switchKey = Map.of("Idempotency-Key", "switch-" + UUID.randomUUID());
    expect(api.post("/v1/auth/switch-tenant", token, target, switchKey), 200);
    Api.Response replayedSwitch = expect(api.post("/v1/auth/switch-tenant", token, target, switchKey), 401);
    assertThat(replayedSwitch.header("Idempotent-Replayed")).isNull();
  }

  @Test
  void noOperationThatIssuesASessionAcceptsAnIdempotencyKey() {
    JsonObject paths = Contract.load().document().getJsonObject("paths");
    List<String> issuing = new ArrayList<>();
    for (String path : paths.fieldNames()) {
      paths.getJsonObject(path).forEach(entry -> {
        JsonObject operation = (JsonObject) entry.getValue();
        if (operation.getJsonObject("responses", new JsonObject()).encode().contains("#/components/schemas/Session\"")) {
          issuing.add(operation.getString("operationId"));
          assertThat(operation.getJsonArray("parameters", new JsonArray()).encode())
              .as(operation.getString("operationId")).doesNotContain("IdempotencyKey", "Idempotency-Key");
          assertThat(operation.getJsonObject("responses").encode()).as(operation.getString("operationId"))
              .doesNotContain("IdempotentReplayed");
        }
      });
    }
    assertThat(issuing).contains("login", "refreshSession", "switchTenant", "acceptInvitation");
  }

  @Test
  void logoutEndsTheSessionAtOnce() {
    JsonObject session = platform.login(clinic.desk).json();
    String token = session.getString("accessToken");
    expect(api.get("/v1/patients", token), 200);
    expect(api.post("/v1/auth/logout", token, null), 204);
    expect(api.get("/v1/patients", token), 401);
    expect(refresh(session.getString("refreshToken"), Map.of()), 401);
  }

  @Test
  void switchingTenantIssuesTokensForTheOtherTenantAndEndsTheOldSession() {
    Clinic second = Clinic.in("eu");
    TestUser locum = locum(second, "nurse");
    String first = platform.login(locum).json().getString("accessToken");
    JsonObject switched = expect(api.post("/v1/auth/switch-tenant", first, new JsonObject()
        .put("tenantId", second.tenant.id().toString())), 200).json();
    String token = switched.getString("accessToken");
    assertThat(Tokens.payload(token).getString("tid")).isEqualTo(second.tenant.id().toString());
    assertThat(Tokens.payload(token).getJsonArray("roles")).containsExactly("nurse");
    expect(api.get("/v1/patients", first), 401);
    JsonObject me = expect(api.get("/v1/auth/me", token), 200).json();
    assertThat(me.getJsonObject("activeTenant").getString("tenantId")).isEqualTo(second.tenant.id().toString());
    assertThat(me.getJsonArray("permissions")).contains("patient.clinical.read").doesNotContain("patient.create");
    expect(api.post("/v1/auth/switch-tenant", token, new JsonObject()
        .put("tenantId", Clinic.in("us").tenant.id().toString())), 403);
  }

  @Test
  void meDescribesTheCallerAndTheirPermissions() {
    JsonObject me = expect(api.get("/v1/auth/me", clinic.token(clinic.desk)), 200).json();
    assertThat(me.getString("email")).isEqualTo(clinic.desk.email());
    assertThat(me.getJsonArray("permissions")).contains("patient.identifiers.read", "appointment.book")
        .doesNotContain("patient.clinical.read");
    assertThat(me.getJsonArray("memberships")).hasSize(1);
  }

  private Api.Response refresh(String refreshToken, Map<String, String> headers) {
    return api.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", refreshToken), headers);
  }

  private static JsonObject credentials(TestUser user) {
    return new JsonObject().put("email", user.email()).put("password", TestPlatform.PASSWORD);
  }

  private static PublicKey publicKey(JsonObject jwk) throws Exception {
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
    ECPoint point = new ECPoint(new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("x"))),
        new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("y"))));
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
  }
}
