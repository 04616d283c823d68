package io.caduceus.routing.router;

import io.caduceus.api.testing.Api;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.httpproxy.HttpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router's failover rules, against fake nodes on loopback: a node that takes a request and drops the
 * connection without answering (as a node killed mid-request does), a node that refuses connections, and nodes
 * that answer. Region {@code us} is [dropping, answering]; region {@code eu} is [answering]; region {@code ap} is
 * [refusing, answering]. Round-robin starts at the first node, so every request here tries the failing one first.
 */
class FailoverTest {

  private static Vertx vertx;
  private static FakeNode dropping;
  private static FakeNode answeringUs;
  private static FakeNode answeringEu;
  private static FakeNode answeringAp;
  private static int refusingPort;
  private static Api router;
  private static Map<String, List<URI>> nodes;
  private static Topology topology;
  private static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    dropping = FakeNode.start(vertx, "dropping", true);
    answeringUs = FakeNode.start(vertx, "us-answering", false);
    answeringEu = FakeNode.start(vertx, "eu-answering", false);
    answeringAp = FakeNode.start(vertx, "ap-answering", false);
    try (ServerSocket socket = new ServerSocket(0)) {
      refusingPort = socket.getLocalPort();
    }
    nodes = new LinkedHashMap<>();
    nodes.put("us", List.of(dropping.url(), answeringUs.url()));
    nodes.put("eu", List.of(answeringEu.url()));
    nodes.put("ap", List.of(URI.create("http://127.0.0.1:" + refusingPort), answeringAp.url()));
    RouterConfig config = RouterConfig.fromEnv(Map.of("CADUCEUS_ROUTER_NODES", "us=http://127.0.0.1:1",
        "CADUCEUS_GLOBAL_DB_URL", "postgresql://unused@127.0.0.1:1/unused"));
    // The request names its region in a header here; the real router reads the token or the public route.
    HttpProxy proxy = RouterVerticle.proxy(vertx.createHttpClient(new HttpClientOptions(), new PoolOptions()), config,
        (method, path, authorization, body) -> Future.succeededFuture(topology.region(path.split("/")[1]).orElseThrow()));
    server = await(vertx.createHttpServer().requestHandler(request -> {
      RouterVerticle.requestId(request);
      proxy.handle(request);
    }).listen(0));
    router = new Api(server.actualPort());
  }

  @BeforeEach
  void freshRoundRobinEveryNodeUp() {
    topology = new Topology(nodes, "us");
    topology.allNodes().forEach(Node::markUp);
    dropping.received.set(0);
    answeringUs.received.set(0);
    answeringEu.received.set(0);
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  @Test
  void aGetLostWithItsNodeIsRetriedOnTheRegionsNextNode() {
    Api.Response r = router.get("/us/patients/1", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("node")).isEqualTo("us-answering");
    assertThat(dropping.received.get()).isEqualTo(1);
    assertThat(topology.region("us").orElseThrow().nodes().get(0).isUp()).isFalse();
  }

  @Test
  void aPostLostWithItsNodeIsNotRepeatedAnd502Tells() {
    Api.Response r = router.post("/us/patients", null, new JsonObject().put("n", 1));
    assertThat(r.status()).isEqualTo(502);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.json().getInteger("status")).isEqualTo(502);
    assertThat(dropping.received.get()).isEqualTo(1);
    assertThat(answeringUs.received.get()).isZero();
  }

  @Test
  void aPostThatFoundNoConnectionGoesToTheNextNodeWithItsBody() {
    Api.Response r = router.post("/ap/patients", null, new JsonObject().put("n", 2));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("node")).isEqualTo("ap-answering");
    assertThat(r.json().getJsonObject("body")).isEqualTo(new JsonObject().put("n", 2));
    assertThat(topology.region("ap").orElseThrow().nodes().get(0).isUp()).isFalse();
  }

  @Test
  void aRegionWithNoNodeUpAnswers503WithRetryAfterAndNeverAnotherRegion() {
    topology.region("us").orElseThrow().nodes().forEach(node -> node.markDown("test"));
    Api.Response r = router.get("/us/patients/1", null);
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.header("Retry-After")).isEqualTo("2");
    assertThat(r.json().getString("requestId")).isNotBlank();
    assertThat(answeringEu.received.get()).isZero();
  }

  @Test
  void aNodesOwnAnswerIsPassedOnAsItIs() {
    Api.Response r = router.get("/eu/status/409", null);
    assertThat(r.status()).isEqualTo(409);
    assertThat(answeringEu.received.get()).isEqualTo(1);
  }

  /** A fake API node: it answers with its name, the method and the body, or drops the connection unanswered. */
  private record FakeNode(String name, HttpServer server, AtomicInteger received) {

    static FakeNode start(Vertx vertx, String name, boolean drop) {
      AtomicInteger received = new AtomicInteger();
      HttpServer server = await(vertx.createHttpServer().requestHandler(request -> {
        received.incrementAndGet();
        request.body().onSuccess(body -> {
          if (drop) {
            request.connection().close();
          } else {
            answer(request, name, body.length() == 0 ? null : body.toJsonObject());
          }
        });
      }).listen(0, "127.0.0.1"));
      return new FakeNode(name, server, received);
    }

    private static void answer(HttpServerRequest request, String name, JsonObject body) {
      String[] path = request.path().split("/");
      int status = path.length > 3 && path[2].equals("status") ? Integer.parseInt(path[3]) : 200;
      request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("node", name).put("method", request.method().name()).put("body", body).encode());
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + server.actualPort());
    }
  }
}
