package io.caduceus.api.boot;

import io.caduceus.api.http.InvalidRequests;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerOptions;

import java.util.concurrent.TimeUnit;

/**
 * Serves the HTTP API on one event loop with the node's request handler ({@link ApiRouter}), which every API verticle
 * shares: the routers are built once, before the verticles deploy. Answers are compressed when the client accepts
 * it.
 */
public final class ApiVerticle extends VerticleBase {

  /** Below about a kilobyte, gzip's own framing and the CPU cost outweigh the bytes saved. */
  private static final int COMPRESSION_THRESHOLD_BYTES = 1024;

  private final Assembly assembly;
  private final Handler<HttpServerRequest> requests;
  private final int port;
  private HttpServer server;

  ApiVerticle(Assembly assembly, Handler<HttpServerRequest> requests, int port) {
    this.assembly = assembly;
    this.requests = requests;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    AppConfig.Http http = assembly.config.http();
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
