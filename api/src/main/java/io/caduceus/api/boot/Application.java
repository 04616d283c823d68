package io.caduceus.api.boot;

import io.caduceus.api.demo.DemoPlatform;
import io.caduceus.api.http.Contract;
import io.caduceus.api.ops.ContractHandlers;
import io.caduceus.notifications.engage.EngagementVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;

/**
 * A running Caduceus node: infrastructure up, databases migrated, demo seeded if asked, API, maintenance and
 * exchange verticles deployed. {@code Main} starts one; the tests start one in-process.
 */
public final class Application {

  private final Vertx vertx;
  private final Infrastructure infrastructure;
  private final Assembly assembly;
  private final int port;
  private final DemoPlatform.Seeded demo;

  private Application(Vertx vertx, Infrastructure infrastructure, Assembly assembly, int port,
                      DemoPlatform.Seeded demo) {
    this.vertx = vertx;
    this.infrastructure = infrastructure;
    this.assembly = assembly;
    this.port = port;
    this.demo = demo;
  }

  /** Starts a node; migrations and embedded servers run on a worker thread. */
  public static Future<Application> start(AppConfig config) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .setDisabledMetricsCategories(Set.of(MetricsDomain.HTTP_SERVER.name(), MetricsDomain.EVENT_BUS.name()))))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    int port = config.http().port() == 0 ? freePort() : config.http().port();
    // The contract needs no database: parse it while PostgreSQL and Redis come up.
    Future<Assembly.ParsedContract> contract = vertx.executeBlocking(Contract::load, false)
        .compose(c -> Future.all(c.forRouter(vertx), vertx.executeBlocking(ContractHandlers::webjarRoot, false))
            .map(both -> new Assembly.ParsedContract(c, both.resultAt(0), both.resultAt(1))));
    return vertx.executeBlocking(() -> Infrastructure.prepare(config), false)
        .compose(infra -> contract.compose(parsed -> Assembly.build(vertx, config, infra, registry, parsed))
            .compose(assembly -> (config.seedDemo() ? DemoPlatform.seedIfEmpty(assembly.demoServices())
                    : Future.succeededFuture(DemoPlatform.Seeded.NONE))
                .compose(demo -> vertx.deployVerticle(() -> new ApiVerticle(assembly, port),
                        new DeploymentOptions().setInstances(config.http().instances()))
                    .compose(id -> vertx.deployVerticle(new MaintenanceVerticle(assembly)))
                    .compose(id -> vertx.deployVerticle(new ExchangeVerticle(assembly.exchangeRelay, infra.regionApp())))
                    .compose(id -> vertx.deployVerticle(new EngagementVerticle(assembly.noticeIntake,
                        assembly.scheduler::runOnce, assembly.dispatcher, config.engagement().tick().toMillis())))
                    .map(id -> {
                      // Tenant schemas and databases catch up with the region's migrations in the background.
                      assembly.placeUpgrades.run();
                      return new Application(vertx, infra, assembly, port, demo);
                    })))
            .onFailure(e -> infra.close()))
        .onFailure(e -> vertx.close());
  }

  /** The port the API listens on. */
  public int port() {
    return port;
  }

  /** The Vert.x instance (for tests). */
  public Vertx vertx() {
    return vertx;
  }

  /** What the demo seeding created, or {@link DemoPlatform.Seeded#NONE}. */
  public DemoPlatform.Seeded demo() {
    return demo;
  }

  /** The assembly (for tests in this module). */
  Assembly assembly() {
    return assembly;
  }

  /** Closes the pools, stops any embedded servers, then closes Vert.x (undeploying the verticles). */
  public Future<Void> stop() {
    return assembly.close()
        .transform(v -> vertx.executeBlocking(() -> {
          infrastructure.close();
          return null;
        }, false))
        .transform(v -> vertx.close());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
