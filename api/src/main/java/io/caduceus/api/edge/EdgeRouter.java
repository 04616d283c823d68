package io.caduceus.api.edge;

import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.http.WebOrigins;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The region router as its own process: {@code java -jar api/target/caduceus.jar router}, configured by
 * {@link RouterConfig}. It opens the control plane (app role; it reads tenants, memberships, invitations and the
 * public signing keys, and writes nothing), checks every node once, then serves.
 */
public final class EdgeRouter {

  /** As on the nodes: a tenant's change of its web origins reaches the router within ten seconds. */
  private static final long WEB_ORIGINS_REFRESH_MS = 10_000;

  private final Vertx vertx;
  private final ControlPlane controlPlane;
  private final HealthChecks checks;

  private EdgeRouter(Vertx vertx, ControlPlane controlPlane, HealthChecks checks) {
    this.vertx = vertx;
    this.controlPlane = controlPlane;
    this.checks = checks;
  }

  /** Starts a router. */
  public static Future<EdgeRouter> start(RouterConfig config) {
    Vertx vertx = Vertx.vertx();
    ControlPlane controlPlane = ControlPlane.open(vertx, config.controlPlane(), config.controlPlanePoolSize(),
        config.instances());
    Topology topology = new Topology(config.nodes(), config.home());
    TenantCatalog catalog = new TenantCatalog(controlPlane, config.catalogTtl());
    HealthChecks checks = new HealthChecks(vertx, topology, config.healthInterval(), config.healthTimeout(),
        config.healthFailures());
    Future<WebOrigins> origins = WebOrigins.load(vertx, controlPlane, config.cors(), WEB_ORIGINS_REFRESH_MS);
    return EdgeTokens.load(vertx, controlPlane, config.issuer(), config.keyRefresh().toMillis())
        .compose(tokens -> checks.start().compose(v -> origins).map(tokens))
        .compose(tokens -> {
          RegionResolver resolver = new RegionResolver(topology, tokens, catalog, controlPlane);
          UserRepository users = new UserRepository(controlPlane);
          return vertx.deployVerticle(() -> new RouterVerticle(config, topology, tokens, resolver, users,
              origins.result()), new DeploymentOptions().setInstances(config.instances()));
        })
        .map(id -> new EdgeRouter(vertx, controlPlane, checks))
        .onFailure(e -> vertx.close());
  }

  /** Stops the health checks, the listeners and the control-plane pool. */
  public Future<Void> stop() {
    return checks.stop().transform(v -> controlPlane.close()).transform(v -> vertx.close());
  }

  /** Starts a router from the environment and prints where it listens. */
  public static void main(String[] args) {
    RouterConfig config;
    try {
      config = RouterConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      // Straight to stderr: the log is asynchronous, and exit would drop the line. It names a variable, no data.
      System.err.println("the region router did not start: " + e.getMessage());
      System.exit(2);
      return;
    }
    start(config)
        .onSuccess(router -> {
          System.out.println("Caduceus region router is ready on port " + config.port() + ", regions "
              + config.nodes().keySet() + " (home " + config.home() + "); health: /router/health");
          Runtime.getRuntime().addShutdownHook(new Thread(() -> stopWithin(router, 10)));
        })
        .onFailure(e -> {
          System.err.println("the region router did not start: " + (e.getMessage() == null
              ? e.getClass().getName() : e.getMessage()));
          System.exit(1);
        });
  }

  // Runs on the JVM's shutdown thread, never an event loop.
  private static void stopWithin(EdgeRouter router, int seconds) {
    CountDownLatch stopped = new CountDownLatch(1);
    router.stop().onComplete(done -> stopped.countDown());
    try {
      stopped.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
