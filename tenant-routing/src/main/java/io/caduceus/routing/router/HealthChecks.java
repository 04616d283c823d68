package io.caduceus.routing.router;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpResponseExpectation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Active health checks of each node's {@code GET /health/ready} (its databases and Redis answer). A 200 within the
 * timeout marks the node up; it is marked down only after {@code failuresBeforeDown} checks in a row fail, since
 * one late answer from a busy node is no sign that it is gone (a dead node is also caught at once by the first
 * request that cannot connect to it). Each node has its own loop: its next check starts an interval after the
 * last one ended, so checks of a slow node never pile up. Each check opens a fresh connection, so a check also
 * proves the node still accepts them.
 */
public final class HealthChecks {

  private static final String READY = "/health/ready";

  private final Vertx vertx;
  private final Topology topology;
  private final Duration interval;
  private final Duration timeout;
  private final int failuresBeforeDown;
  private final HttpClient client;
  private final Map<Node, Long> timers = new ConcurrentHashMap<>();
  private volatile boolean stopped;

  public HealthChecks(Vertx vertx, Topology topology, Duration interval, Duration timeout, int failuresBeforeDown) {
    this.vertx = vertx;
    this.topology = topology;
    this.interval = interval;
    this.timeout = timeout;
    this.failuresBeforeDown = Math.max(1, failuresBeforeDown);
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  /** Checks every node once, then each node an interval after its previous check ended. */
  public Future<Void> start() {
    return round().onComplete(done -> topology.allNodes().forEach(this::scheduleNext));
  }

  /** Checks every node once, in parallel; completes when every check has an outcome. */
  public Future<Void> round() {
    List<Future<Void>> checks = new ArrayList<>();
    topology.allNodes().forEach(node -> checks.add(check(node)));
    return Future.join(checks).mapEmpty();
  }

  private void scheduleNext(Node node) {
    if (!stopped) {
      timers.put(node, vertx.setTimer(interval.toMillis(), id -> check(node).onComplete(done -> scheduleNext(node))));
    }
  }

  private Future<Void> check(Node node) {
    return client.request(node.requestOptions(timeout, timeout).setMethod(HttpMethod.GET).setURI(READY))
        .compose(request -> request.send().expecting(HttpResponseExpectation.SC_OK))
        .compose(response -> response.body())
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .onSuccess(body -> node.checkPassed())
        // A health check carries no request content, so its failure message (status, address) is safe to log.
        .onFailure(failure -> node.checkFailed(String.valueOf(failure.getMessage()), failuresBeforeDown))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /** Stops the checks. */
  public Future<Void> stop() {
    stopped = true;
    timers.values().forEach(vertx::cancelTimer);
    return client.close();
  }
}
