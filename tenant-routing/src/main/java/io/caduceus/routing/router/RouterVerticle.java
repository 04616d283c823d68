package io.caduceus.routing.router;

import io.caduceus.routing.catalog.BearerTokens;
import io.caduceus.routing.catalog.Memberships;
import io.caduceus.routing.web.RequestIds;
import io.caduceus.routing.web.WebOrigins;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyOptions;

/**
 * The router on one event loop: {@code GET /router/health} answers itself, the portal's unified view fans out,
 * and every other request goes through the reverse proxy (vertx-http-proxy) to a node of its region.
 */
final class RouterVerticle extends VerticleBase {

  static final String HEALTH = "/router/health";

  private final RouterConfig config;
  private final Topology topology;
  private final BearerTokens tokens;
  private final RegionResolver resolver;
  private final Memberships memberships;
  private final WebOrigins origins;
  private HttpClient client;
  private HttpServer server;

  RouterVerticle(RouterConfig config, Topology topology, BearerTokens tokens, RegionResolver resolver,
                 Memberships memberships, WebOrigins origins) {
    this.config = config;
    this.topology = topology;
    this.tokens = tokens;
    this.resolver = resolver;
    this.memberships = memberships;
    this.origins = origins;
  }

  @Override
  public Future<?> start() {
    // A reset connection fails its request, which marks the node down (Failover); the connection's own
    // exception is not logged again (Vert.x would log each one at ERROR).
    client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(60)
            .setConnectTimeout((int) config.connectTimeout().toMillis()))
        .with(new PoolOptions().setHttp1MaxSize(config.poolSizePerNode()))
        .withConnectHandler(connection -> connection.exceptionHandler(failure -> { }))
        .build();
    HttpProxy proxy = proxy(client, config, resolver);
    PortalFanOut portal = new PortalFanOut(client, tokens, resolver, memberships, config);
    LiveTunnel live = new LiveTunnel(client, resolver, config);
    // Compresses its own answers (the merged portal view); a node's compressed answer passes as it is.
    server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port())
        .setIdleTimeout(120).setCompressionSupported(true).setCompressionContentSizeThreshold(1024)
        .setHttp2ClearTextEnabled(false)); // as on the nodes: Vert.x 5.0.8 mislabels compressed HTTP/2 answers
    // Clients that hang up mid-request are routine at the edge; their resets are not errors of the router.
    server.connectionHandler(connection -> connection.exceptionHandler(failure -> { }));
    EdgeCors cors = new EdgeCors(origins);
    return server.requestHandler(request -> {
      requestId(request);
      cors.onAnswer(request);
      if (HEALTH.equals(request.path())) {
        health(request);
      } else if (LiveTunnel.handles(request)) {
        live.handle(request);
      } else if (PortalFanOut.handles(request)) {
        portal.handle(request, proxy);
      } else {
        proxy.handle(request);
      }
    }).listen();
  }

  /** Gives the request its id ({@link RequestIds}), set on the request to be forwarded if it had none or a bad one. */
  static String requestId(HttpServerRequest request) {
    String given = request.getHeader(RequestIds.HEADER);
    String id = RequestIds.accept(given);
    if (!id.equals(given)) {
      request.headers().set(RequestIds.HEADER, id);
    }
    return id;
  }

  /** The reverse proxy: each request to a node of the region {@code regions} names, with {@link Failover}. */
  static HttpProxy proxy(HttpClient client, RouterConfig config, RequestRegions regions) {
    return HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(false), client)
        .origin(new NodeOrigin(config.connectTimeout(), config.requestTimeout()))
        .addInterceptor(new Failover(regions, config.bodyLimitBytes(), config.retryAfterSeconds()));
  }

  private void health(HttpServerRequest request) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
        .add("Cache-Control", "no-store").add(RequestIds.HEADER, request.getHeader(RequestIds.HEADER));
    new EdgeAnswer(200, headers, topology.toJson().toBuffer()).send(request);
  }

  @Override
  public Future<?> stop() {
    return (server == null ? Future.succeededFuture() : server.close())
        .compose(v -> client == null ? Future.succeededFuture() : client.close());
  }
}
