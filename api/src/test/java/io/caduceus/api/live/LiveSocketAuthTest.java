package io.caduceus.api.live;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Tokens;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live socket's authentication over real WebSockets: the same ES256 token as REST, by header or first frame,
 * refused, expired, renewed and revoked as documented (close codes in {@link LiveClose}).
 */
class LiveSocketAuthTest {

  private final TestPlatform platform = TestPlatform.get();
  private final int port = platform.app().port();
  private final Clinic clinic = Clinic.in("us");

  @Test
  void aTokenInTheAuthorizationHeaderAuthenticatesTheSocket() {
    try (LiveClient c = LiveClient.withHeader(port, clinic.token(clinic.doctor))) {
      JsonObject ready = c.next("ready");
      assertThat(ready.getString("userId")).isEqualTo(clinic.doctor.id().toString());
      assertThat(ready.getString("tenantId")).isEqualTo(clinic.tenant.id().toString());
      assertThat(ready.getBoolean("renewed")).isFalse();
    }
  }

  @Test
  void aTokenInTheFirstFrameAuthenticatesTheSocket() {
    try (LiveClient c = LiveClient.open(port, Map.of())) {
      c.send(new JsonObject().put("type", "auth").put("token", clinic.token(clinic.nurse)));
      assertThat(c.next("ready").getString("userId")).isEqualTo(clinic.nurse.id().toString());
      c.send(new JsonObject().put("type", "ping").put("id", "p1"));
      assertThat(c.next("pong").getString("ref")).isEqualTo("p1");
    }
  }

  @Test
  void framesSentRightBehindTheTokenAreHandledOnceItIsVerified() {
    // A client need not wait for "ready": what it sends behind its token is queued until the token is verified.
    try (LiveClient c = LiveClient.open(port, Map.of())) {
      c.send(new JsonObject().put("type", "auth").put("token", clinic.token(clinic.doctor)));
      c.send(new JsonObject().put("type", "subscribe").put("id", "room").put("topic", "waiting-room")
          .put("practitionerId", clinic.practitionerId));
      assertThat(c.next("waiting_room").getString("id")).isEqualTo("room");
      assertThat(c.seen()).noneMatch(f -> "error".equals(f.getString("type")));
      assertThat(c.seen().get(0).getString("type")).isEqualTo("ready");
    }
    try (LiveClient c = LiveClient.withHeader(port, clinic.token(clinic.doctor))) {
      c.send(new JsonObject().put("type", "subscribe").put("id", "room").put("topic", "waiting-room")
          .put("practitionerId", clinic.practitionerId));
      assertThat(c.next("waiting_room").getString("id")).isEqualTo("room");
      assertThat(c.seen()).noneMatch(f -> "error".equals(f.getString("type")));
    }
  }

  @Test
  void aForgedTokenGetsAnErrorFrameAndClose4401() {
    String real = clinic.token(clinic.doctor);
    String forged = Tokens.withPayload(real, Tokens.payload(real).put("roles", new io.vertx.core.json.JsonArray()
        .add("tenant_admin")));
    try (LiveClient c = LiveClient.open(port, Map.of())) {
      c.send(new JsonObject().put("type", "auth").put("token", forged).put("id", "a1"));
      JsonObject error = c.next("error");
      assertThat(error.getInteger("status")).isEqualTo(401);
      assertThat(error.getString("code")).isEqualTo("urn:caduceus:problem:unauthorized");
      assertThat(error.getString("ref")).isEqualTo("a1");
      assertThat(c.closeCode()).isEqualTo(LiveClose.UNAUTHORIZED);
    }
  }

  @Test
  void aForgedTokenInTheHeaderIsClosedAs4401Too() {
    try (LiveClient c = LiveClient.withHeader(port, "not.a.token")) {
      assertThat(c.next("error").getInteger("status")).isEqualTo(401);
      assertThat(c.closeCode()).isEqualTo(LiveClose.UNAUTHORIZED);
    }
  }

  @Test
  void aSocketThatNeverAuthenticatesIsClosedAs4408AfterTenSeconds() {
    try (LiveClient c = LiveClient.open(port, Map.of())) {
      c.send(new JsonObject().put("type", "subscribe").put("id", "s1").put("topic", "waiting-room"));
      JsonObject refused = c.next("error");
      assertThat(refused.getInteger("status")).isEqualTo(401);
      assertThat(refused.getString("ref")).isEqualTo("s1");
      assertThat(c.closeCode()).isEqualTo(LiveClose.AUTH_TIMEOUT);
      assertThat(c.seen()).anyMatch(f -> "error".equals(f.getString("type")) && f.getString("detail").contains("auth"));
    }
  }

  @Test
  void anExpiringTokenClosesTheSocketWith4401AndSaysItExpired() {
    try (LiveClient c = LiveClient.authenticated(port, shortLived(clinic.doctor, 3))) {
      JsonObject error = c.next(f -> "error".equals(f.getString("type")), LiveClient.PATIENCE);
      assertThat(error.getString("code")).isEqualTo("urn:caduceus:problem:token-expired");
      assertThat(c.closeCode()).isEqualTo(LiveClose.UNAUTHORIZED);
    }
  }

  @Test
  void aFreshTokenRenewsTheSocketInPlace() {
    String first = shortLived(clinic.doctor, 4);
    long firstExpiry = Tokens.payload(first).getLong("exp");
    try (LiveClient c = LiveClient.authenticated(port, first)) {
      c.send(new JsonObject().put("type", "auth").put("token", platform.login(clinic.doctor).json()
          .getString("accessToken")));
      JsonObject renewed = c.next("ready");
      assertThat(renewed.getBoolean("renewed")).isTrue();
      assertThat(Instant.parse(renewed.getString("expiresAt")).getEpochSecond()).isGreaterThan(firstExpiry + 60);
      // Past the first token's expiry the socket still answers.
      Await.until(Instant::now, now -> now.getEpochSecond() > firstExpiry + 1, Duration.ofSeconds(30));
      c.send(new JsonObject().put("type", "ping").put("id", "after"));
      assertThat(c.next("pong").getString("ref")).isEqualTo("after");
      assertThat(c.isClosed()).isFalse();
    }
  }

  @Test
  void aRenewalForAnotherUserIsRefusedAndTheSocketKeepsItsToken() {
    try (LiveClient c = LiveClient.authenticated(port, clinic.token(clinic.doctor))) {
      c.send(new JsonObject().put("type", "auth").put("id", "r").put("token", clinic.token(clinic.nurse)));
      JsonObject error = c.next("error");
      assertThat(error.getInteger("status")).isEqualTo(403);
      c.send(new JsonObject().put("type", "ping").put("id", "still"));
      assertThat(c.next("pong").getString("ref")).isEqualTo("still");
    }
  }

  @Test
  void aTokenWhoseSessionEndedIsRefused() {
    Api.Response login = platform.login(clinic.nurse);
    String token = login.json().getString("accessToken");
    Api api = platform.api();
    assertThat(api.post("/v1/auth/logout", token, new JsonObject()).status()).isIn(200, 204);
    try (LiveClient c = LiveClient.open(port, Map.of())) {
      c.send(new JsonObject().put("type", "auth").put("token", token));
      assertThat(c.next("error").getInteger("status")).isEqualTo(401);
      assertThat(c.closeCode()).isEqualTo(LiveClose.UNAUTHORIZED);
    }
  }

  @Test
  void badFramesGetTypedErrorFramesAndTheSocketStaysOpen() {
    try (LiveClient c = LiveClient.authenticated(port, clinic.token(clinic.doctor))) {
      c.sendText("not json");
      assertThat(c.next("error").getString("code")).isEqualTo("urn:caduceus:problem:invalid-frame");
      c.send(new JsonObject().put("type", "dance").put("id", "d"));
      assertThat(c.next("error").getString("ref")).isEqualTo("d");
      c.sendBinary(new byte[] {1, 2, 3});
      assertThat(c.next("error").getInteger("status")).isEqualTo(400);
      c.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(20_000) + "\"}");
      assertThat(c.next("error").getInteger("status")).isEqualTo(413);
      c.send(new JsonObject().put("type", "subscribe").put("id", "s").put("topic", "weather"));
      JsonObject invalid = c.next("error");
      assertThat(invalid.getInteger("status")).isEqualTo(400);
      assertThat(invalid.getString("ref")).isEqualTo("s");
      c.send(new JsonObject().put("type", "unsubscribe").put("id", "nothing"));
      assertThat(c.next("error").getInteger("status")).isEqualTo(404);
      c.send(new JsonObject().put("type", "ping").put("id", "ok"));
      assertThat(c.next("pong").getString("ref")).isEqualTo("ok");
    }
  }

  @Test
  void anOriginNoOneAllowsCannotOpenASocketAndAPlainGetIsToldToUpgrade() {
    Throwable refused = Await.failure(io.vertx.core.Vertx.vertx().createWebSocketClient().connect(
        new io.vertx.core.http.WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/v1/live")
            .addHeader("Origin", "https://evil.example")));
    assertThat(refused.getMessage()).contains("403");
    Api.Response plain = platform.api().get("/v1/live", clinic.token(clinic.doctor));
    assertThat(plain.status()).isEqualTo(426);
    try (LiveClient c = LiveClient.open(port, Map.of("Origin", TestPlatform.WEB_ORIGIN))) {
      c.send(new JsonObject().put("type", "auth").put("token", clinic.token(clinic.doctor)));
      assertThat(c.next("ready").getString("userId")).isEqualTo(clinic.doctor.id().toString());
    }
  }

  @Test
  void theUpgradeIsCountedInTheAccessMetricsUnderItsOwnName() {
    try (LiveClient c = LiveClient.withHeader(port, clinic.token(clinic.doctor))) {
      c.next("ready");
    }
    Await.until(() -> platform.api().get("/metrics", TestPlatform.METRICS_TOKEN).body(),
        body -> body.lines().anyMatch(l -> l.startsWith("caduceus_http_requests_seconds_count")
            && l.contains("operation=\"openLiveSocket\"") && l.contains("status=\"101\"")), Duration.ofSeconds(30));
  }

  @Test
  void aFloodOfSubscribeFramesIsThrottledWithTooManyRequests() {
    try (LiveClient c = LiveClient.authenticated(port, clinic.token(clinic.doctor))) {
      for (int i = 0; i < 20; i++) {
        c.send(new JsonObject().put("type", "subscribe").put("id", "s" + i).put("topic", "weather"));
      }
      JsonObject limited = c.next(f -> "error".equals(f.getString("type")) && f.getInteger("status") == 429,
          LiveClient.PATIENCE);
      assertThat(limited.getString("code")).isEqualTo("urn:caduceus:problem:too-many-requests");
    }
  }

  /** A real session's token, re-signed by the node's key to expire in {@code seconds}. */
  private String shortLived(TestUser user, int seconds) {
    JsonObject claims = Tokens.payload(platform.login(user).json().getString("accessToken"));
    for (String registered : new String[] {"exp", "iat", "nbf", "iss", "aud"}) {
      claims.remove(registered);
    }
    return platform.signed(claims, seconds);
  }
}
