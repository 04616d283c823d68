package io.caduceus.routing.router;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.catalog.BearerTokens;
import io.caduceus.routing.catalog.InvitationTenants;
import io.caduceus.routing.catalog.Memberships;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.web.WebOrigins;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The region router, a process of its own ({@link RouterMain}) configured by {@link RouterConfig}. It opens the
 * control plane (app role; it reads tenants, memberships, invitations and the public signing keys, and writes
 * nothing), checks every node once, then serves. It calls no domain code: what it reads is the catalog's.
 */
public final class RegionRouter {

  /** As on the nodes: a tenant's change of its web origins reaches the router within ten seconds. */
  private static final long WEB_ORIGINS_REFRESH_MS = 10_000;

  private final Vertx vertx;
  private final ControlPlane controlPlane;
  private final HealthChecks checks;

  private RegionRouter(Vertx vertx, ControlPlane controlPlane, HealthChecks checks) {
    this.vertx = vertx;
    this.controlPlane = controlPlane;
    this.checks = checks;
  }

  /** Starts a router. */
  public static Future<RegionRouter> start(RouterConfig config) {
    Vertx vertx = Vertx.vertx();
    ControlPlane controlPlane = ControlPlane.open(vertx, config.controlPlane(), config.controlPlanePoolSize(),
        config.instances());
    Topology topology = new Topology(config.nodes(), config.home());
    TenantCatalog catalog = new TenantCatalog(controlPlane, config.catalogTtl());
    HealthChecks checks = new HealthChecks(vertx, topology, config.healthInterval(), config.healthTimeout(),
        config.healthFailures());
    Future<WebOrigins> origins = WebOrigins.load(vertx, controlPlane, config.cors(), WEB_ORIGINS_REFRESH_MS);
    return BearerTokens.load(vertx, controlPlane, config.issuer(), config.keyRefresh().toMillis())
        .compose(tokens -> checks.start().compose(v -> origins).map(tokens))
        .compose(tokens -> {
          RegionResolver resolver = new RegionResolver(topology, tokens, catalog, new InvitationTenants(controlPlane));
          Memberships memberships = new Memberships(controlPlane);
          return vertx.deployVerticle(() -> new RouterVerticle(config, topology, tokens, resolver, memberships,
              origins.result()), new DeploymentOptions().setInstances(config.instances()));
        })
        .map(id -> new RegionRouter(vertx, controlPlane, checks))
        .onFailure(e -> vertx.close());
  }

  /** Stops the health checks, the listeners and the control-plane pool. */
  public Future<Void> stop() {
    return checks.stop().transform(v -> controlPlane.close()).transform(v -> vertx.close());
  }
}
