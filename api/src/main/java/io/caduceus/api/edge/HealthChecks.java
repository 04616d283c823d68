package io.caduceus.api.edge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpResponseExpectation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Active health checks: every interval, each node's {@code GET /health/ready} (its databases and Redis answer).
 * A 200 within the timeout marks the node up; anything else marks it down. Each check opens a fresh connection,
 * so a check also proves the node still accepts them.
 */
public final class HealthChecks {

  private static final String READY = "/health/ready";

  private final Vertx vertx;
  private final Topology topology;
  private final Duration interval;
  private final Duration timeout;
  private final HttpClient client;
  private long timer = -1;

  public HealthChecks(Vertx vertx, Topology topology, Duration interval, Duration timeout) {
    this.vertx = vertx;
    this.topology = topology;
    this.interval = interval;
    this.timeout = timeout;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  /** Checks every node once, then every interval. */
  public Future<Void> start() {
    return round().onComplete(done -> timer = vertx.setPeriodic(interval.toMillis(), id -> round()));
  }

  /** Checks every node once, in parallel; completes when every check has an outcome. */
  public Future<Void> round() {
    List<Future<Void>> checks = new ArrayList<>();
    topology.allNodes().forEach(node -> checks.add(check(node)));
    return Future.join(checks).mapEmpty();
  }

  private Future<Void> check(Node node) {
    return client.request(node.requestOptions(timeout, timeout).setMethod(HttpMethod.GET).setURI(READY))
        .compose(request -> request.send().expecting(HttpResponseExpectation.SC_OK))
        .compose(response -> response.body())
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .onSuccess(body -> node.markUp())
        // A health check carries no request content, so its failure message (status, address) is safe to log.
        .onFailure(failure -> node.markDown("health check: " + failure.getMessage()))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /** Stops the checks. */
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return client.close();
  }
}
