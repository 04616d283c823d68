package io.caduceus.api.boot;

import io.caduceus.api.http.AccessLog;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.ProblemHandler;
import io.caduceus.api.http.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.JWTAuthHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.util.concurrent.TimeUnit;

/**
 * Serves the HTTP API on one event loop. The router is built from {@code openapi.yaml}; each route runs
 * request id → access log → body limit → JWT → validation → tenant resolution → handler, and every failure
 * leaves through the problem handler. Start fails if any operation of the contract has no handler.
 */
public final class ApiVerticle extends VerticleBase {

  private final Assembly assembly;
  private final int port;
  private HttpServer server;

  ApiVerticle(Assembly assembly, int port) {
    this.assembly = assembly;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    AppConfig.Http http = assembly.config.http();
    return Future.succeededFuture(assembly.openapi).compose(openapi -> {
      RouterBuilder builder = RouterBuilder.create(vertx, openapi, RequestExtractor.withBodyHandler());
      builder.rootHandler(new RequestIds());
      builder.rootHandler(new AccessLog(assembly.registry, assembly.config.accessLog(),
          assembly.config.metrics().tenantLabel()));
      builder.rootHandler(BodyHandler.create(false).setBodyLimit(http.bodyLimitBytes()));
      builder.security("bearerAuth").httpHandler(JWTAuthHandler.create(assembly.tokenVerifier));
      Operations ops = new Operations(builder, assembly.resolver, assembly.quotaHandler);
      assembly.bind(ops);
      ops.requireAllBound();
      Router router = builder.createRouter();
      ProblemHandler problems = new ProblemHandler();
      router.route().failureHandler(problems);
      router.errorHandler(404, problems);
      router.errorHandler(405, problems);
      server = vertx.createHttpServer(new HttpServerOptions()
          .setHost(http.host())
          .setPort(port)
          .setCompressionSupported(false)
          .setIdleTimeout(120));
      return server.requestHandler(router).listen();
    });
  }

  /**
   * Stops accepting connections, lets the requests in flight finish for up to the drain time, then closes what is
   * left: an idle connection closes at once, a busy one after its response.
   */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture()
        : server.shutdown(assembly.config.shutdown().drain().toMillis(), TimeUnit.MILLISECONDS);
  }
}
