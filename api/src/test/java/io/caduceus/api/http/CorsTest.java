package io.caduceus.api.http;

import io.caduceus.api.testing.Api;
import io.caduceus.routing.web.Cors;
import io.caduceus.routing.web.CorsPolicy;
import io.caduceus.routing.web.WebOrigins;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CORS handler where credentials are allowed (a deployment whose web app sits behind a cookie-based gateway),
 * on a real router: the answer names the one origin, never {@code *}, and says credentials may go along.
 */
class CorsTest {

  private static final String APP = "https://app.example.com";
  private final Vertx vertx = Vertx.vertx();
  private Api api;

  @BeforeEach
  void serve() throws Exception {
    Router router = Router.router(vertx);
    router.route().handler(new Cors(WebOrigins.deploymentOnly(CorsPolicy.of(List.of(APP + "/"), true)),
        ContractRoutes.of(Contract.load().document())::methods, Requests::resolvedTenant));
    router.get("/v1/patients").handler(rc -> rc.json(Map.of("items", List.of())));
    int port = await(vertx.createHttpServer().requestHandler(router).listen(0)).actualPort();
    api = new Api(port);
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @Test
  void withCredentialsAllowedTheAnswerNamesTheOneOriginAndNeverAWildcard() {
    Api.Response preflight = api.send("OPTIONS", "/v1/patients", null, null, Map.of("Origin", APP,
        "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization"));
    Api.Response read = api.send("GET", "/v1/patients", null, null, Map.of("Origin", APP));
    for (Api.Response r : List.of(preflight, read)) {
      assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo(APP);
      assertThat(r.header("Access-Control-Allow-Credentials")).isEqualTo("true");
      assertThat(r.header("Vary")).contains("Origin");
    }
    assertThat(preflight.status()).isEqualTo(204);
    Api.Response other = api.send("GET", "/v1/patients", null, null, Map.of("Origin", "https://app.example.org"));
    assertThat(other.header("Access-Control-Allow-Origin")).isNull();
    assertThat(other.header("Access-Control-Allow-Credentials")).isNull();
  }
}
