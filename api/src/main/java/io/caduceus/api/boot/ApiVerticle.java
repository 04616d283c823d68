package io.caduceus.api.boot;

import io.caduceus.api.audit.OperationAudits;
import io.caduceus.api.http.AccessLog;
import io.caduceus.api.http.AllowedMethods;
import io.caduceus.api.http.CacheDefaults;
import io.caduceus.api.http.ETags;
import io.caduceus.api.http.InvalidRequests;
import io.caduceus.api.http.MediaTypes;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.PrefixRouters;
import io.caduceus.api.http.ProblemHandler;
import io.caduceus.api.http.RequestIdHandler;
import io.caduceus.api.http.RequestStages;
import io.caduceus.api.live.LiveRoute;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.web.Cors;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.JWTAuthHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;

import java.util.concurrent.TimeUnit;

/**
 * Serves the HTTP API on one event loop. The router is built from {@code openapi.yaml}, once per path prefix
 * ({@link PrefixRouters}: a request tries only the routes under its own prefix); each route runs
 * request id → access log → cache policy → CORS → body limit → methods → media types → If-Match → JWT → validation
 * → tenant resolution → handler, and every failure leaves through the problem handler; {@link RequestStages} times
 * those stages for a flight recording that asks. Answers are compressed when the client accepts it. Start fails if
 * any operation of the contract has no audit declaration or no handler.
 */
public final class ApiVerticle extends VerticleBase {

  /** Below about a kilobyte, gzip's own framing and the CPU cost outweigh the bytes saved. */
  private static final int COMPRESSION_THRESHOLD_BYTES = 1024;

  private final Assembly assembly;
  private final OpenAPIContract openapi;
  private final int port;
  private HttpServer server;

  ApiVerticle(Assembly assembly, OpenAPIContract openapi, int port) {
    this.assembly = assembly;
    this.openapi = openapi;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    AppConfig.Http http = assembly.config.http();
    return Future.succeededFuture(openapi).compose(openapi -> {
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
      Handler<HttpServerRequest> requests = request -> {
        if (LiveRoute.PATH.equals(request.path())) {
          live.handle(request);
        } else {
          routers.handle(request);
        }
      };
      server = vertx.createHttpServer(new HttpServerOptions()
          .setHost(http.host())
          .setPort(port)
          .setCompressionSupported(true)
          .setCompressionContentSizeThreshold(COMPRESSION_THRESHOLD_BYTES)
          // Vert.x 5.0.8's HTTP/2 encoder stops compressing for good after one uncompressed answer on a connection
          // yet still labels later answers gzip: cleartext HTTP/2 (h2c) stays off, so every answer is HTTP/1.1 and
          // says truly how it is encoded. HTTP/2 to clients is the TLS-terminating load balancer's job.
          .setHttp2ClearTextEnabled(false)
          .setIdleTimeout(120));
      return server.requestHandler(requests).invalidRequestHandler(new InvalidRequests()).listen();
    });
  }

  /**
   * Stops accepting connections, lets the requests in flight finish for up to the drain time, then closes what is
   * left: an idle connection closes at once, a busy one after its response.
   */
  @Override
  public Future<?> stop() {
    assembly.live.hub.closeAll();
    return server == null ? Future.succeededFuture()
        : server.shutdown(assembly.config.shutdown().drain().toMillis(), TimeUnit.MILLISECONDS);
  }
}
