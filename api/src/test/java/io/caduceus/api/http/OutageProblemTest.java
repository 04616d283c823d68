package io.caduceus.api.http;

import io.caduceus.api.error.Unavailable;
import io.caduceus.api.testing.Api;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failure handler's answer to a database that cannot serve: 503 with {@code Retry-After} and a problem document
 * that names no internals, whether the failure arrives as the client raised it or wrapped by our own code; a bug
 * stays a 500. The failures are real: a pool pointed at a port where nothing listens.
 */
class OutageProblemTest {

  private static Vertx vertx;
  private static Api api;

  @BeforeAll
  static void aRouterWhoseRoutesFail() throws Exception {
    vertx = Vertx.vertx();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    DatabaseEndpoint nowhere = TestInfrastructure.get().superuser();
    Pool down = PgBuilder.pool().with(new PoolOptions())
        .connectingTo(nowhere.connectOptions().setPort(closedPort)).using(vertx).build();
    Router router = Router.router(vertx);
    router.route().handler(new RequestIdHandler());
    router.get("/down").handler(rc -> down.query("SELECT 1").execute().onFailure(rc::fail));
    router.get("/down-wrapped").handler(rc -> down.getConnection()
        .recover(e -> Future.failedFuture(new IllegalStateException("the step failed", e))).onFailure(rc::fail));
    router.get("/unavailable").handler(rc -> rc.fail(new Unavailable("session state is unavailable")));
    router.get("/bug").handler(rc -> rc.fail(new IllegalStateException("a bug")));
    router.route().failureHandler(new ProblemHandler());
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0));
    api = new Api(server.actualPort());
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close());
  }

  @Test
  void anUnreachableDatabaseIs503WithRetryAfter() {
    for (String path : new String[] {"/down", "/down-wrapped"}) {
      Api.Response r = api.get(path, null);
      assertThat(r.status()).as(path).isEqualTo(503);
      assertThat(r.header("Retry-After")).as(path).isEqualTo("2");
      assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(r.json().getString("type")).isEqualTo("urn:caduceus:problem:unavailable");
      assertThat(r.json().getString("requestId")).isEqualTo(r.header("X-Request-Id"));
      assertThat(r.body()).doesNotContain("Exception").doesNotContain("refused").doesNotContain("127.0.0.1");
    }
  }

  @Test
  void everyUnavailableAnswerCarriesRetryAfter() {
    Api.Response r = api.get("/unavailable", null);
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.header("Retry-After")).isEqualTo("2");
  }

  @Test
  void aBugIsStillA500() {
    Api.Response r = api.get("/bug", null);
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.header("Retry-After")).isNull();
  }
}
