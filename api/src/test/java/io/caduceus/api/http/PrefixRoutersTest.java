package io.caduceus.api.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract's router split by path prefix answers every request as the router of the whole contract does, and a
 * request under a prefix tries only that prefix's routes.
 */
@ExtendWith(VertxExtension.class)
class PrefixRoutersTest {

  /** Every operation's path (parameters filled in), plus paths the contract does not have or that normalise. */
  private static List<String[]> requests(OpenAPIContract contract) {
    List<String[]> requests = new ArrayList<>();
    for (Path path : contract.getPaths()) {
      String concrete = path.getName().replaceAll("\\{[^}]+}", "p1");
      for (Operation op : path.getOperations()) {
        requests.add(new String[] {op.getHttpMethod().name(), concrete});
      }
      requests.add(new String[] {"TRACE", concrete});
      requests.add(new String[] {"GET", concrete + "/"});
      requests.add(new String[] {"GET", concrete + "/nothing-here"});
    }
    requests.add(new String[] {"GET", "/v1/nothing-here/p1"});
    requests.add(new String[] {"GET", "/v1/patients/../tenants"});
    requests.add(new String[] {"GET", "/v1//patients/p1"});
    requests.add(new String[] {"GET", "/v1/%70atients/p1"});
    requests.add(new String[] {"GET", "/v1/patients/p1/./secure-messages"});
    return requests;
  }

  @Test
  void everyRequestIsAnsweredAsTheWholeContractsRouterAnswersIt(Vertx vertx, VertxTestContext test)
      throws Exception {
    OpenAPIContract openapi = Contract.load().forRouter(vertx).await(60, TimeUnit.SECONDS);
    PrefixRouters.View contract = PrefixRouters.view(openapi);
    RouterBuilder builder = RouterBuilder.create(vertx, contract);
    for (OpenAPIRoute route : builder.getRoutes()) {
      String operationId = route.getOperation().getOperationId();
      route.setDoSecurity(false).setDoValidation(false).addHandler(rc -> rc.response().end(operationId));
    }
    Handler<Router> answers = router -> router.errorHandler(404, rc -> rc.response().setStatusCode(404).end("404"))
        .errorHandler(405, rc -> rc.response().setStatusCode(405).end("405"));
    PrefixRouters routers = PrefixRouters.build(contract, () -> {
      Router router = builder.createRouter();
      answers.handle(router);
      return router;
    });
    Router whole = builder.createRouter();
    answers.handle(whole);

    int split = listen(vertx, routers);
    int reference = listen(vertx, whole::handle);
    WebClient client = WebClient.create(vertx);
    List<String[]> requests = requests(openapi);
    List<String> answered = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (String[] request : requests) {
      HttpMethod method = HttpMethod.valueOf(request[0]);
      chain = chain.compose(v -> send(client, reference, method, request[1])
          .compose(expected -> send(client, split, method, request[1]).map(actual -> {
            test.verify(() -> assertThat(answer(actual)).as("%s %s", method, request[1])
                .isEqualTo(answer(expected)));
            answered.add(expected.bodyAsString());
            return null;
          })));
    }
    chain.onComplete(test.succeeding(v -> test.verify(() -> {
      assertThat(answered).hasSize(requests.size())
          .contains("getPatient", "searchPatients", "404", "405");
      test.completeNow();
    })));
  }

  @Test
  void aRequestUnderAPrefixTriesOnlyThatPrefixsRoutes(Vertx vertx) throws Exception {
    OpenAPIContract openapi = Contract.load().forRouter(vertx).await(60, TimeUnit.SECONDS);
    PrefixRouters.View contract = PrefixRouters.view(openapi);
    RouterBuilder builder = RouterBuilder.create(vertx, contract);
    builder.getRoutes().forEach(route -> route.setDoSecurity(false).setDoValidation(false)
        .addHandler(rc -> rc.response().end()));
    PrefixRouters routers = PrefixRouters.build(contract, builder::createRouter);

    Router patients = routers.routerFor("/v1/patients/p1");
    Router whole = routers.routerFor("/metrics");
    assertThat(routers.routerFor("/v1/patients")).isSameAs(patients);
    assertThat(routers.routerFor("/v1/patients/p1/secure-messages")).isSameAs(patients);
    assertThat(routers.routerFor("/v1/tenants/t1")).isNotSameAs(patients).isNotSameAs(whole);
    assertThat(whole.getRoutes()).hasSize(openapi.operations().size());
    // The root route and the /v1/patients operations only.
    assertThat(patients.getRoutes()).hasSizeLessThan(20).allMatch(route -> route.getMetadata(
        RouterBuilder.KEY_META_DATA_OPERATION) instanceof Operation op && op.getOpenAPIPath().startsWith("/v1/patients"));
    for (String path : List.of("/v1//patients/p1", "/v1/%70atients/p1", "/v1/patients/../tenants",
        "/v1/nothing-here/p1", "/", "")) {
      assertThat(routers.routerFor(path)).as(path).isSameAs(whole);
    }
  }

  private static String answer(HttpResponse<?> response) {
    return response.statusCode() + " " + response.bodyAsString();
  }

  private static Future<HttpResponse<io.vertx.core.buffer.Buffer>> send(WebClient client, int port,
      HttpMethod method, String path) {
    return client.request(method, port, "127.0.0.1", path).send();
  }

  private static int listen(Vertx vertx, Handler<HttpServerRequest> handler) throws Exception {
    return vertx.createHttpServer().requestHandler(handler).listen(0).await(30, TimeUnit.SECONDS).actualPort();
  }
}
