package io.caduceus.api.edge;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.router.RegionRouter;
import io.caduceus.routing.router.RouterConfig;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router's own answers, in front of the shared test node (which serves both regions): what it refuses before
 * any node sees the request, and that it passes a node's answers through.
 */
class RouterEdgeTest {

  private static final TestPlatform PLATFORM = TestPlatform.get();
  private static RegionRouter router;
  private static Api api;

  @BeforeAll
  static void startRouter() {
    int port = ChildJvm.freePort();
    String node = "http://127.0.0.1:" + PLATFORM.app().port();
    DatabaseEndpoint app = TestInfrastructure.get().asApp(PLATFORM.owner("global"));
    String controlPlane = "postgresql://" + app.user() + ":" + app.password() + "@" + app.host() + ":" + app.port()
        + "/" + app.database();
    router = await(RegionRouter.start(RouterConfig.fromEnv(Map.of(
        "CADUCEUS_ROUTER_PORT", Integer.toString(port),
        "CADUCEUS_ROUTER_NODES", "us=" + node + ";eu=" + node,
        "CADUCEUS_GLOBAL_DB_URL", controlPlane,
        "CADUCEUS_ROUTER_INSTANCES", "1",
        "CADUCEUS_ROUTER_BODY_LIMIT_BYTES", "4096",
        "CADUCEUS_CORS_ORIGINS", TestPlatform.WEB_ORIGIN))));
    api = new Api(port);
  }

  @AfterAll
  static void stopRouter() {
    await(router.stop());
  }

  @Test
  void aRequestWithoutAValidTokenIsRefusedAtTheEdgeWith401() {
    Api.Response r = api.get("/v1/patients", "not-a-token");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
    Api.Response none = api.get("/v1/patients", null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
  }

  @Test
  void anExpiredTokenIsToldSoAtTheEdge() {
    long now = System.currentTimeMillis() / 1000;
    String expired = PLATFORM.signed(new JsonObject().put("sub", UUID.randomUUID().toString())
        .put("tid", UUID.randomUUID().toString()).put("sid", UUID.randomUUID().toString())
        .put("roles", new JsonArray().add("physician")).put("exp", now - 120), 0);
    Api.Response r = expect(api.get("/v1/patients", expired), 401);
    assertThat(r.header("WWW-Authenticate")).contains("error=\"invalid_token\"").contains("expired");
    assertThat(r.json().getString("type")).isEqualTo("urn:caduceus:problem:token-expired");
  }

  @Test
  void aValidTokenNamingATenantTheCatalogDoesNotKnowAnswers404() {
    String token = PLATFORM.signed(new JsonObject().put("sub", UUID.randomUUID().toString())
        .put("tid", UUID.randomUUID().toString()).put("sid", UUID.randomUUID().toString())
        .put("roles", new JsonArray().add("physician")), 60);
    Api.Response r = api.get("/v1/patients", token);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().getString("type")).isEqualTo("urn:caduceus:problem:not-found");
    assertThat(r.json().getString("requestId")).isEqualTo(r.header("X-Request-Id"));
  }

  @Test
  void aNodesAnswersPassThroughTheRouterUnchanged() {
    Clinic clinic = Clinic.in("eu");
    String id = clinic.patient("Edge", "Erika").getString("id");
    Api.Response r = api.get("/v1/patients/" + id, clinic.token(clinic.desk));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("id")).isEqualTo(id);
    assertThat(r.header("ETag")).isNotNull();
    expect(api.get("/v1/patients/" + Clinic.unknownId(), clinic.token(clinic.desk)), 404);
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413() {
    Clinic clinic = Clinic.in("us");
    Api.Response r = api.post("/v1/patients", clinic.token(clinic.desk), new JsonObject()
        .put("name", new JsonObject().put("family", "x".repeat(5000)).put("given", "Long")));
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  void aPreflightCarriesNoTokenAndIsAnsweredByAHomeNodeThroughTheRouter() {
    Api.Response r = api.send("OPTIONS", "/v1/patients/" + Clinic.unknownId(), null, null, Map.of(
        "Origin", TestPlatform.WEB_ORIGIN, "Access-Control-Request-Method", "PATCH",
        "Access-Control-Request-Headers", "authorization,content-type,if-match"));
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.headers().get("access-control-allow-origin")).containsExactly(TestPlatform.WEB_ORIGIN);
    assertThat(r.header("Access-Control-Allow-Methods")).isEqualTo("DELETE, GET, PATCH");
    assertThat(r.header("Access-Control-Allow-Headers")).contains("If-Match");
  }

  @Test
  void theRoutersOwnAnswersAreReadableByAnAllowedOriginAndANodesPassOnce() {
    Api.Response refused = api.send("GET", "/v1/patients", null, null, Map.of("Origin", TestPlatform.WEB_ORIGIN));
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.header("Access-Control-Allow-Origin")).isEqualTo(TestPlatform.WEB_ORIGIN);
    assertThat(refused.header("Access-Control-Expose-Headers")).contains("WWW-Authenticate", "X-Request-Id");
    assertThat(refused.header("Vary")).contains("Origin");
    Api.Response elsewhere = api.send("GET", "/v1/patients", null, null, Map.of("Origin", "https://elsewhere.test"));
    assertThat(elsewhere.status()).isEqualTo(401);
    assertThat(elsewhere.header("Access-Control-Allow-Origin")).isNull();
    Clinic clinic = Clinic.in("us");
    Api.Response read = api.send("GET", "/v1/patients", clinic.token(clinic.desk), null,
        Map.of("Origin", TestPlatform.WEB_ORIGIN));
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.headers().get("access-control-allow-origin")).containsExactly(TestPlatform.WEB_ORIGIN);
  }

  @Test
  void metricsAreNotForwardedToANodeThatTrustsLoopbackCallers() {
    assertThat(api.get("/metrics", null).status()).isEqualTo(404);
  }

  @Test
  void theRoutersOwnHealthCountsEachRegionsNodesWithoutNamingThem() {
    JsonObject health = expect(api.get("/router/health", null), 200).json();
    assertThat(health.getString("status")).isEqualTo("up");
    assertThat(health.getJsonObject("regions").getJsonObject("eu").getInteger("healthy")).isEqualTo(1);
    assertThat(health.encode()).doesNotContain("127.0.0.1");
  }
}
