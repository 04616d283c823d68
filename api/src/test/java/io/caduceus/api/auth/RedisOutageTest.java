package io.caduceus.api.auth;

import io.caduceus.api.boot.Application;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.RestartableRedis;
import io.caduceus.api.testing.Sql;
import io.caduceus.api.testing.Tokens;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions and the API when Redis fails: PostgreSQL is the truth of which sessions ended, Redis only its cache.
 * Two more nodes of the test deployment share a Redis this test owns (persistent, like a production Redis with an
 * append-only file), so it can stop, restart, wipe and flush it: the first falls back to per-node quotas while
 * Redis is down, the second refuses with 503.
 */
class RedisOutageTest {

  private static final TestPlatform platform = TestPlatform.get();
  private static RestartableRedis redis;
  private static Application node;
  private static Application sibling;
  private static Api api;
  private static Api siblingApi;
  private static Clinic clinic;

  @BeforeAll
  static void twoNodesOnARedisOfTheirOwn() throws IOException {
    redis = RestartableRedis.start(Files.createTempDirectory("caduceus-test-redis"));
    // One after the other: nodes of one deployment starting at the same instant can fail their cluster bootstrap
    // ("tuple concurrently updated"), which is not what this test is about.
    node = platform.sibling(Map.of("CADUCEUS_REDIS_URL", redis.url()));
    sibling = platform.sibling(Map.of("CADUCEUS_REDIS_URL", redis.url(), "CADUCEUS_QUOTA_FALLBACK", "deny"));
    api = new Api(node.port());
    siblingApi = new Api(sibling.port());
    clinic = Clinic.in("us");
  }

  @AfterEach
  void redisIsBack() {
    redis.start();
  }

  @AfterAll
  static void stopAll() {
    for (Application started : new Application[] {sibling, node}) {
      if (started != null) {
        await(started.stop());
      }
    }
    redis.close();
  }

  @Test
  void aLogoutSurvivesAFlushOfRedis() {
    JsonObject session = login(clinic.desk);
    String token = session.getString("accessToken");
    expect(api.post("/v1/auth/logout", token, null), 204);
    redis.flushAll();
    expect(api.get("/v1/patients", token), 401);
    expect(siblingApi.get("/v1/patients", token), 401);
    expect(refresh(session.getString("refreshToken")), 401);
    expect(api.get("/v1/patients", accessToken(clinic.desk)), 200);
  }

  @Test
  void aLogoutSurvivesARedisRestartThatLostItsData() {
    String token = accessToken(clinic.desk);
    expect(api.post("/v1/auth/logout", token, null), 204);
    redis.stop();
    redis.wipe();
    redis.start();
    expect(api.get("/v1/patients", token), 401);
    expect(siblingApi.get("/v1/patients", token), 401);
  }

  @Test
  void aLogoutDuringAnOutageHoldsOnEveryNodeAndAfterRedisReturnsWithItsOldData() {
    String loggedOut = accessToken(clinic.desk);
    String kept = accessToken(clinic.desk);
    expect(api.get("/v1/patients", loggedOut), 200);
    redis.stop();
    expect(api.post("/v1/auth/logout", loggedOut, null), 204);
    expect(api.get("/v1/patients", loggedOut), 401);
    expect(siblingApi.get("/v1/patients", loggedOut), 401);
    expect(api.get("/v1/patients", kept), 200);
    // The restarted Redis reloads its append-only file: every key from before the outage, none of the logout.
    redis.start();
    expect(api.get("/v1/patients", loggedOut), 401);
    expect(siblingApi.get("/v1/patients", loggedOut), 401);
    expect(api.get("/v1/patients", kept), 200);
  }

  @Test
  void aNodeIdleThroughABriefRestartStillRefusesALogoutMadeWhileRedisWasDown() {
    String token = accessToken(clinic.nurse);
    expect(siblingApi.get("/v1/patients", token), 200);
    // The sibling gets no request while Redis is down, and the restart is quicker than its once-a-second pass.
    redis.stop();
    expect(api.post("/v1/auth/logout", token, null), 204);
    redis.start();
    expect(siblingApi.get("/v1/patients", token), 401);
  }

  @Test
  void anotherNodesLogoutIsSeenOnTheNextRequest() {
    String token = accessToken(clinic.doctor);
    expect(siblingApi.get("/v1/patients", token), 200);
    expect(siblingApi.post("/v1/auth/logout", token, null), 204);
    expect(api.get("/v1/patients", token), 401);
  }

  @Test
  void aSessionEndedWhereRedisWasUnreachableIsRefusedByEveryNodeOnceTheSyncHasCopiedIt() {
    String token = accessToken(clinic.nurse);
    expect(api.get("/v1/patients", token), 200);
    expect(siblingApi.get("/v1/patients", token), 200);
    // What a node cut off from Redis leaves behind: the session ended in the control plane, and no flag.
    UUID session = UUID.fromString(Tokens.payload(token).getString("sid"));
    assertThat(Sql.update(platform.owner("global"), "UPDATE auth_session SET revoked_at = now(),"
        + " revoke_reason = 'logout' WHERE id = ?", session)).isEqualTo(1);
    Await.until(() -> api.get("/v1/patients", token).status(), s -> s == 401, Duration.ofSeconds(30));
    Await.until(() -> siblingApi.get("/v1/patients", token).status(), s -> s == 401, Duration.ofSeconds(30));
  }

  @Test
  void withRedisDownRequestsFollowTheQuotaFallback() {
    String token = accessToken(clinic.nurse);
    redis.stop();
    Api.Response local = expect(api.get("/v1/patients", token), 200);
    assertThat(local.header("RateLimit")).isNotNull();
    Api.Response deny = expect(siblingApi.get("/v1/patients", token), 503);
    assertThat(Integer.parseInt(deny.header("Retry-After"))).isPositive();
    assertThat(deny.json().getString("type")).isEqualTo("urn:caduceus:problem:unavailable");
  }

  @Test
  void withRedisDownLoginWorksAndGuessesAreStillThrottled() {
    TestUser victim = platform.user(clinic.tenant, "receptionist");
    redis.stop();
    expect(api.post("/v1/auth/login", null, credentials(victim, TestPlatform.PASSWORD)), 200);
    for (int i = 0; i < 5; i++) {
      expect(api.post("/v1/auth/login", null, credentials(victim, "guess-" + i)), 401);
    }
    Api.Response throttled = expect(api.post("/v1/auth/login", null, credentials(victim, TestPlatform.PASSWORD)),
        429);
    assertThat(Integer.parseInt(throttled.header("Retry-After"))).isPositive();
  }

  @Test
  void withRedisDownARefreshReuseAnswers401AndTheSessionStaysEndedWhenRedisReturns() {
    JsonObject first = login(clinic.doctor);
    redis.stop();
    JsonObject second = expect(refresh(first.getString("refreshToken")), 200).json();
    expect(api.get("/v1/patients", second.getString("accessToken")), 200);
    expect(refresh(first.getString("refreshToken")), 401);
    expect(api.get("/v1/patients", second.getString("accessToken")), 401);
    redis.start();
    expect(api.get("/v1/patients", second.getString("accessToken")), 401);
    expect(siblingApi.get("/v1/patients", second.getString("accessToken")), 401);
    expect(refresh(second.getString("refreshToken")), 401);
  }

  @Test
  void aSuspendedTenantStaysSuspendedAfterAFlushOfRedis() {
    Clinic suspended = Clinic.in("us");
    String token = accessToken(suspended.desk);
    expect(api.get("/v1/patients", token), 200);
    String owner = platform.token(platform.platformOwner());
    expect(api.post("/v1/platform/tenants/" + suspended.tenant.id() + "/suspend", owner, null), 200);
    redis.flushAll();
    assertThat(api.get("/v1/patients", token).status()).isIn(401, 403);
    assertThat(siblingApi.get("/v1/patients", token).status()).isIn(401, 403);
    expect(api.post("/v1/auth/login", null, credentials(suspended.desk, TestPlatform.PASSWORD)
        .put("tenantId", suspended.tenant.id().toString())), 403);
  }

  @Test
  void readinessStaysUpWithRedisDownAndSaysSo() {
    redis.stop();
    JsonObject checks = Await.until(() -> expect(api.get("/health/ready", null), 200).json().getJsonObject("checks"),
        c -> "down".equals(c.getString("redis")) && "down".equals(c.getString("revocationCache")),
        Duration.ofSeconds(30));
    assertThat(checks.getString("controlPlane")).isEqualTo("up");
    redis.start();
    millisUntilTheCacheIsUsed();
  }

  /**
   * The fault test: Redis stopped and restarted (reloading its file), then flushed, under steady traffic. Serving
   * goes on throughout (logins included), nothing answers 5xx, and no ended session is ever served again.
   */
  @Test
  void redisStoppedRestartedAndFlushedUnderLoadKeepsServingAndNoEndedSessionComesBack() throws Exception {
    Clinic load = Clinic.in("us");
    List<TestUser> users = List.of(load.desk, load.doctor, load.nurse, platform.user(load.tenant, "nurse"));
    List<String> live = new ArrayList<>();
    List<String> ended = new ArrayList<>();
    for (TestUser user : users) {
      live.add(accessToken(user));
      String gone = accessToken(user);
      expect(api.post("/v1/auth/logout", gone, null), 204);
      ended.add(gone);
    }
    SessionTraffic traffic = new SessionTraffic(api, users, live, ended);
    traffic.start();
    Map<String, Long> recovery = new LinkedHashMap<>();
    try {
      traffic.phase("1 healthy");
      awaitRequests(traffic, 60);
      traffic.phase("2 redis stopped");
      long down = System.nanoTime();
      redis.stop();
      awaitRequests(traffic, 120);
      traffic.phase("3 redis restarted");
      redis.start();
      recovery.put("redis stopped (ms)", (System.nanoTime() - down) / 1_000_000);
      recovery.put("restart to revocation cache in use (ms)", millisUntilTheCacheIsUsed());
      awaitRequests(traffic, 60);
      traffic.phase("4 redis flushed");
      redis.flushAll();
      recovery.put("flush to revocation cache in use (ms)", millisUntilTheCacheIsUsed());
      awaitRequests(traffic, 60);
    } finally {
      traffic.stop();
    }
    System.out.printf("Redis fault test: %d requests, %d ended sessions, recovery %s%n  phases (ms) %s%n"
        + "  outcomes %s%n", traffic.requests(), traffic.ended().size(), recovery, traffic.durations(),
        traffic.outcomes());
    assertThat(traffic.endedServed()).as("ended sessions served").isZero();
    traffic.outcomes().forEach((outcome, count) -> assertThat(outcome).as("%d requests", count)
        .matches(".* (read-live 200|read-ended 401|login 200|logout 204)"));
    assertThat(traffic.outcomes().keySet()).anyMatch(o -> o.startsWith("2 redis stopped login 200"))
        .anyMatch(o -> o.startsWith("2 redis stopped logout 204"));
    for (String token : traffic.ended()) {
      expect(api.get("/v1/patients", token), 401);
      expect(siblingApi.get("/v1/patients", token), 401);
    }
  }

  private static void awaitRequests(SessionTraffic traffic, int more) {
    long target = traffic.requests() + more;
    Await.until(traffic::requests, n -> n >= target, Duration.ofSeconds(120));
  }

  private static long millisUntilTheCacheIsUsed() {
    long from = System.nanoTime();
    Await.until(() -> api.get("/health/ready", null).json().getJsonObject("checks"),
        checks -> "up".equals(checks.getString("redis")) && "up".equals(checks.getString("revocationCache")),
        Duration.ofSeconds(60));
    return (System.nanoTime() - from) / 1_000_000;
  }

  static JsonObject login(TestUser user) {
    return expect(api.post("/v1/auth/login", null, credentials(user, TestPlatform.PASSWORD)
        .put("tenantId", user.tenant().id().toString())), 200).json();
  }

  static String accessToken(TestUser user) {
    return login(user).getString("accessToken");
  }

  static Api.Response refresh(String refreshToken) {
    return api.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", refreshToken));
  }

  static JsonObject credentials(TestUser user, String password) {
    return new JsonObject().put("email", user.email()).put("password", password);
  }
}
