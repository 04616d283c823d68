package io.caduceus.api.boot;

import io.caduceus.api.demo.DemoOidc;
import io.caduceus.api.demo.DemoPlatform;
import io.caduceus.api.http.Contract;
import io.caduceus.api.ops.ContractHandlers;
import io.caduceus.notifications.engage.EngagementVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.openapi.contract.OpenAPIContract;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A running Caduceus node: infrastructure up, databases migrated, demo seeded if asked, API, maintenance and
 * exchange verticles deployed. {@code Main} starts one; the tests start one in-process.
 */
public final class Application {

  private static final Logger LOG = LoggerFactory.getLogger(Application.class);

  private final Vertx vertx;
  private final Infrastructure infrastructure;
  private final Assembly assembly;
  private final int port;
  private final DemoPlatform.Seeded demo;
  private final Deployments deployments;
  private CompletableFuture<Void> stopped;

  /** The deployment ids of the HTTP verticles and of the background ones, stopped in that order. */
  private record Deployments(String api, List<String> background) {
  }

  private Application(Vertx vertx, Infrastructure infrastructure, Assembly assembly, int port,
                      DemoPlatform.Seeded demo, Deployments deployments) {
    this.vertx = vertx;
    this.infrastructure = infrastructure;
    this.assembly = assembly;
    this.port = port;
    this.demo = demo;
    this.deployments = deployments;
  }

  /** Starts a node; migrations and embedded servers run on a start-up thread. */
  public static Future<Application> start(AppConfig config) {
    return start(config, StartupPhases.fromNow());
  }

  /**
   * Starts a node, recording each phase in {@code phases}; once it is ready, logs how long each took (one INFO
   * line, for an operator to see what a restart spends its time on).
   */
  public static Future<Application> start(AppConfig config, StartupPhases phases) {
    // Neither the databases nor the contract's document need Vert.x: both begin before it is built (a few hundred
    // milliseconds of class loading and metrics set-up), each on a thread of its own, as a worker would run them.
    CompletableFuture<Infrastructure> preparing = CompletableFuture.supplyAsync(
        () -> Infrastructure.prepare(config, phases), Application::startThread);
    CompletableFuture<Contract> reading = CompletableFuture.supplyAsync(
        () -> phases.time("contract", Contract::load), Application::startThread);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx;
    try {
      vertx = phases.time("vertx", () -> vertx(registry));
    } catch (RuntimeException e) {
      preparing.thenAccept(Infrastructure::close);
      throw e;
    }
    Context context = vertx.getOrCreateContext();
    int port = config.http().port() == 0 ? freePort() : config.http().port();
    // The contract's model needs no database: it is built while PostgreSQL and Redis come up, and the assembly, which
    // needs only the contract's document, does not wait for it; only the router does.
    Future<Contract> contract = started(reading, context);
    Future<OpenAPIContract> model = contract.compose(c -> phases.time("contract model", c.forRouter(vertx)));
    Future<String> webjarRoot = vertx.executeBlocking(ContractHandlers::webjarRoot, false);
    return started(preparing, context)
        .compose(infra -> Future.all(contract, webjarRoot)
            .compose(parsed -> phases.time("assembly", Assembly.build(vertx, config, infra, registry,
                new Assembly.ParsedContract(contract.result(), webjarRoot.result()))))
            .compose(assembly -> {
              // The request handler, built once for every API verticle, on a worker while the demo seed runs.
              Future<Handler<HttpServerRequest>> requests = model.compose(openapi -> phases.time("router",
                  vertx.executeBlocking(() -> ApiRouter.build(vertx, assembly, openapi), false)));
              Future<DemoPlatform.Seeded> seeding = phases.time("demo seed", config.seedDemo()
                  ? DemoPlatform.seedIfEmpty(assembly.demoServices())
                      .compose(seeded -> DemoOidc.startIfAsked(vertx, System.getenv()).map(seeded))
                  : Future.succeededFuture(DemoPlatform.Seeded.NONE));
              return Future.all(requests, seeding)
                  .compose(both -> phases.time("deploy", deploy(vertx, config, infra, assembly, requests.result(),
                      port)))
                  .map(deployments -> {
                    // Tenant schemas and databases catch up with the region's migrations in the background.
                    assembly.tiers.placeUpgrades.run();
                    LOG.info(phases.summary());
                    return new Application(vertx, infra, assembly, port, seeding.result(), deployments);
                  });
            })
            .onFailure(e -> infra.close()))
        .onFailure(e -> vertx.close());
  }

  /** The step's outcome on the node's context, failed with the step's own exception rather than its wrapper. */
  private static <T> Future<T> started(CompletableFuture<T> step, Context context) {
    return Future.fromCompletionStage(step, context).recover(e -> Future.failedFuture(
        e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
  }

  private static Vertx vertx(PrometheusMeterRegistry registry) {
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .setDisabledMetricsCategories(Set.of(MetricsDomain.HTTP_SERVER.name(), MetricsDomain.EVENT_BUS.name()))))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  /** Runs one blocking start-up step on a thread of its own: it may wait on servers for seconds. */
  private static void startThread(Runnable step) {
    new Thread(step, "caduceus-start").start();
  }

  private static Future<Deployments> deploy(Vertx vertx, AppConfig config, Infrastructure infra, Assembly assembly,
                                            Handler<HttpServerRequest> requests, int port) {
    List<String> background = new ArrayList<>();
    return vertx.deployVerticle(() -> new ApiVerticle(assembly, requests, port),
            new DeploymentOptions().setInstances(config.http().instances()))
        .compose(api -> vertx.deployVerticle(new MaintenanceVerticle(assembly)).map(background::add)
            .compose(v -> vertx.deployVerticle(new ExchangeVerticle(assembly.exchanges.exchangeRelay,
                infra.regionApp())))
            .map(background::add)
            .compose(v -> vertx.deployVerticle(new EngagementVerticle(assembly.engagement.noticeIntake,
                assembly.engagement.scheduler::runOnce, assembly.engagement.dispatcher,
                config.engagement().tick().toMillis())))
            .map(background::add)
            .compose(v -> vertx.deployVerticle(new LiveVerticle(assembly.live.listener)))
            .map(background::add)
            .map(v -> new Deployments(api, List.copyOf(background))));
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

  /**
   * Stops the node gracefully, once however often it is asked: readiness answers 503 at once while the node goes on
   * serving for the configured unready time; then it stops accepting connections and lets the requests in flight
   * finish, for up to the drain time; then the background loops finish their runs under way; then the pools and
   * Redis close, then any embedded servers, then Vert.x. Each step follows the last however it ended.
   */
  public synchronized Future<Void> stop() {
    if (stopped == null) {
      stopped = new CompletableFuture<>();
      long began = System.nanoTime();
      unready()
          .transform(v -> drain(began))
          .transform(v -> endBackgroundWork())
          .transform(v -> closeResources())
          .onComplete(v -> {
            LOG.info("stopped in {} ms", (System.nanoTime() - began) / 1_000_000);
            stopped.complete(null);
            // Nothing listens to the close: its event loops end with it, and a listener would find them gone.
            vertx.close();
          });
    }
    // Not bound to any of this node's event loops, which are gone once it has stopped.
    return Future.fromCompletionStage(stopped);
  }

  /** Readiness answers 503 from now on; the node serves as before for the unready time. */
  private Future<Void> unready() {
    Duration unready = assembly.config.shutdown().unready();
    assembly.draining.begin();
    LOG.info("stopping: readiness answers 503; serving {} ms more before refusing new connections",
        unready.toMillis());
    return unready.isZero() ? Future.succeededFuture() : vertx.timer(unready.toMillis()).mapEmpty();
  }

  /** Stops accepting connections and waits for the requests in flight, for up to the drain time. */
  private Future<Void> drain(long began) {
    LOG.info("stopping: new connections refused; requests in flight have up to {} ms",
        assembly.config.shutdown().drain().toMillis());
    return vertx.undeploy(deployments.api()).onComplete(done -> LOG.info(
        "stopping: requests drained {} ms after the stop began; ending background work",
        (System.nanoTime() - began) / 1_000_000));
  }

  /** Lets every background loop finish its run under way, for up to the drain time as well. */
  private Future<Void> endBackgroundWork() {
    return Future.join(deployments.background().stream().map(vertx::undeploy).toList())
        .timeout(Math.max(1, assembly.config.shutdown().drain().toMillis()), TimeUnit.MILLISECONDS)
        .onComplete(done -> LOG.info("stopping: background work ended; closing the pools, Redis and embedded"
            + " servers"))
        .mapEmpty();
  }

  /** Closes the pools and Redis, then stops any embedded servers (blocking, so on a worker). */
  private Future<Void> closeResources() {
    return assembly.close().transform(v -> vertx.executeBlocking(() -> {
      infrastructure.close();
      return null;
    }, false));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
