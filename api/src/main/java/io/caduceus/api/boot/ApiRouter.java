package io.caduceus.api.boot;

import io.caduceus.api.audit.OperationAudits;
import io.caduceus.api.http.AccessLog;
import io.caduceus.api.http.AllowedMethods;
import io.caduceus.api.http.CacheDefaults;
import io.caduceus.api.http.ETags;
import io.caduceus.api.http.MediaTypes;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.PrefixRouters;
import io.caduceus.api.http.ProblemHandler;
import io.caduceus.api.http.RequestIdHandler;
import io.caduceus.api.http.RequestStages;
import io.caduceus.api.http.Requests;
import io.caduceus.api.live.LiveRoute;
import io.caduceus.routing.web.Cors;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.JWTAuthHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;

/**
 * The node's HTTP request handler, built from {@code openapi.yaml} once and shared by every API verticle.
 *
 * <p>The router is built once per path prefix ({@link PrefixRouters}: a request tries only the routes under its own
 * prefix); each route runs request id → access log → cache policy → CORS → body limit → methods → media types →
 * If-Match → JWT → validation → tenant resolution → handler, and every failure leaves through the problem handler;
 * {@link RequestStages} times those stages for a flight recording that asks. Building fails if any operation of the
 * contract has no audit declaration or no handler.
 *
 * <p>Built once, not once per verticle: the routers and their handlers were the largest part of the deploy phase
 * of a start, and each API verticle (one per core) built its own from the same model. Sharing them across event
 * loops is safe: a Vert.x router is bound to the {@link Vertx} instance, not to a context, and handles each request
 * on the calling thread with a routing context of that request's own ({@code RouterImpl} documents itself
 * thread-safe; its routes are copy-on-write and only read once built); the contract's validator runs its blocking
 * part with {@code vertx.executeBlocking}, on the context of the calling event loop; and the handlers here and in
 * the wirings keep no per-request state outside the routing context (shared state, such as the validator cache
 * and the services of the {@link Assembly}, was already shared by the verticles).
 */
final class ApiRouter {

  private ApiRouter() {
  }

  /** Builds the request handler; blocking (a few hundred milliseconds of CPU), so call it on a worker. */
  static Handler<HttpServerRequest> build(Vertx vertx, Assembly assembly, OpenAPIContract openapi) {
    AppConfig.Http http = assembly.config.http();
    PrefixRouters.View contract = PrefixRouters.view(openapi);
    RouterBuilder builder = RouterBuilder.create(vertx, contract,
        RequestStages.validating(RequestExtractor.withBodyHandler()));
    builder.rootHandler(RequestStages.first());
    builder.rootHandler(new RequestIdHandler());
    AccessLog accessLog = new AccessLog(assembly.registry, assembly.config.accessLog(),
        assembly.config.metrics().tenantLabel());
    Cors cors = new Cors(assembly.webOrigins, assembly.routes::methods, Requests::resolvedTenant);
    builder.rootHandler(accessLog);
    builder.rootHandler(new CacheDefaults());
    builder.rootHandler(cors);
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(http.bodyLimitBytes()));
    builder.rootHandler(new AllowedMethods(assembly.routes));
    builder.rootHandler(new MediaTypes(assembly.routes));
    builder.rootHandler(MediaTypes.scimAsJson());
    builder.rootHandler(ETags.preconditions(assembly.routes));
    builder.rootHandler(RequestStages.last());
    builder.security("bearerAuth").httpHandler(JWTAuthHandler.create(assembly.access.tokenVerifier));
    builder.security(ScimWiring.SCHEME).httpHandler(JWTAuthHandler.create(assembly.scim.bearer));
    Operations ops = new Operations(builder, assembly.access.resolver, assembly.quotaHandler,
        new OperationAudits(assembly.audit)).resolveWith(ScimWiring.SCHEME, assembly.scim.resolver)
        .gateModules(assembly.features.gate);
    ops.requireAllDeclared();
    assembly.bind(ops);
    ops.requireAllBound();
    ProblemHandler problems = new ProblemHandler();
    PrefixRouters routers = PrefixRouters.build(contract, () -> {
      Router router = builder.createRouter();
      router.route().failureHandler(problems);
      router.errorHandler(404, problems);
      router.errorHandler(405, problems);
      return router;
    });
    // The live socket's upgrade keeps the request id, the access log and the origin rules, and leaves the
    // contract's JSON pipeline (body, media types, validation) out.
    Router live = Router.router(vertx);
    live.route(LiveRoute.PATH).handler(new RequestIdHandler()).handler(accessLog).handler(cors)
        .handler(assembly.live.route);
    return request -> {
      if (LiveRoute.PATH.equals(request.path())) {
        live.handle(request);
      } else {
        routers.handle(request);
      }
    };
  }
}
