package io.caduceus.api.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/**
 * The methods of a path, from the contract: {@code OPTIONS} answers 204 with {@code Allow}, and a method the path
 * does not take answers 405 with {@code Allow}. A path outside the contract goes on to the router's 404.
 */
public final class AllowedMethods implements Handler<RoutingContext> {

  private final ContractRoutes routes;

  public AllowedMethods(ContractRoutes routes) {
    this.routes = routes;
  }

  @Override
  public void handle(RoutingContext rc) {
    Optional<ContractRoutes.Route> route = routes.find(rc.request().path());
    HttpMethod method = rc.request().method();
    if (route.isEmpty() || route.get().operations().containsKey(method)) {
      rc.next();
      return;
    }
    rc.response().putHeader(HttpHeaders.ALLOW, route.get().allow());
    if (method == HttpMethod.OPTIONS) {
      rc.response().setStatusCode(204).end();
    } else {
      rc.fail(405);
    }
  }
}
