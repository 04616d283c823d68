package io.caduceus.routing.router;

import io.caduceus.routing.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router's active health checks against a node on loopback whose readiness the test sets: 200, or 503 (what a
 * busy node answers when one of its probes waits more than a second for a pooled connection; a check that times
 * out counts the same). A live node that fails one check is not taken out of service; only a run of failed checks
 * does that.
 */
class HealthChecksTest {

  private Vertx vertx;
  private HttpServer server;
  private final AtomicBoolean ready = new AtomicBoolean(true);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger mostInFlight = new AtomicInteger();
  private final AtomicInteger received = new AtomicInteger();
  private final AtomicInteger answerAfterMs = new AtomicInteger(1);
  private Node node;
  private HealthChecks checks;

  @BeforeEach
  void aNodeWhoseReadinessTheTestControls() {
    vertx = Vertx.vertx();
    server = await(vertx.createHttpServer().requestHandler(request -> {
      received.incrementAndGet();
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      // Counted out before the answer leaves: the next check can only follow once the answer has arrived.
      vertx.setTimer(answerAfterMs.get(), id -> {
        inFlight.decrementAndGet();
        request.response().setStatusCode(ready.get() ? 200 : 503).end();
      });
    }).listen(0, "127.0.0.1"));
    Topology topology = new Topology(Map.of("us", List.of(URI.create("http://127.0.0.1:" + server.actualPort()))),
        "us");
    node = topology.region("us").orElseThrow().nodes().get(0);
    // The interval is an hour: here each round of checks is run by the test, never by a timer.
    checks = new HealthChecks(vertx, topology, Duration.ofHours(1), Duration.ofSeconds(30), 3);
  }

  @AfterEach
  void stop() {
    await(checks.stop());
    await(vertx.close());
  }

  @Test
  void aNodeThatMissesOneCheckStaysUpAndGoesDownOnlyAfterThreeInARow() {
    await(checks.round());
    assertThat(node.isUp()).isTrue();

    ready.set(false);
    await(checks.round());
    assertThat(node.isUp()).as("one missed check").isTrue();
    await(checks.round());
    assertThat(node.isUp()).as("two missed checks").isTrue();
    ready.set(true);
    await(checks.round());
    assertThat(node.isUp()).isTrue();

    // A passing check starts the count over: three more misses in a row take it down, one answer brings it back.
    ready.set(false);
    await(checks.round());
    await(checks.round());
    assertThat(node.isUp()).isTrue();
    await(checks.round());
    assertThat(node.isUp()).as("three missed checks in a row").isFalse();
    ready.set(true);
    await(checks.round());
    assertThat(node.isUp()).isTrue();
  }

  @Test
  void checksOfASlowNodeNeverOverlap() {
    Topology topology = new Topology(Map.of("us", List.of(URI.create("http://127.0.0.1:" + server.actualPort()))),
        "us");
    checks = new HealthChecks(vertx, topology, Duration.ofMillis(10), Duration.ofSeconds(30), 3);
    answerAfterMs.set(200);
    await(checks.start());
    // Each answer takes twenty intervals: six checks in, the node is up and never had two checks at once.
    Await.until(received::get, n -> n >= 6, Duration.ofSeconds(60));
    assertThat(mostInFlight.get()).isEqualTo(1);
    assertThat(topology.region("us").orElseThrow().nodes().get(0).isUp()).isTrue();
  }
}
