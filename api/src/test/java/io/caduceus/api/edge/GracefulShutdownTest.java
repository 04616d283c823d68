package io.caduceus.api.edge;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Load;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.testing.Await;
import io.caduceus.routing.testing.TestInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM under load, as Kubernetes stops a pod. The node (a child JVM) answers readiness with 503 at once and keeps
 * serving for its unready time, then refuses new connections while the requests it holds finish: here they are held
 * mid-transaction by table locks the test takes before the signal and releases only once the node refuses
 * connections, so they are certainly in flight through the drain. Then the node ends its background work, closes its
 * pools and exits 0 within its drain time. No request sent before the signal fails, and nothing answers 500 or 503.
 */
@Tag("fault")
class GracefulShutdownTest {

  private static final Path LOGS = Path.of("target", "graceful-shutdown");
  private static final long UNREADY_MS = 3_000;
  private static final long DRAIN_MS = 30_000;

  private final List<Connection> locks = new ArrayList<>();
  private ChildJvm node;

  @AfterEach
  void cleanUp() {
    locks.forEach(GracefulShutdownTest::release);
    if (node != null) {
      node.kill();
    }
  }

  @Test
  void sigtermTurnsNotReadyThenDrainsTheRequestsInFlightThenExitsZero() throws Exception {
    int port = ChildJvm.freePort();
    Map<String, String> env = ChildJvm.demoNode(port, "caduceus-graceful");
    env.put("CADUCEUS_SHUTDOWN_UNREADY_MS", Long.toString(UNREADY_MS));
    env.put("CADUCEUS_SHUTDOWN_DRAIN_MS", Long.toString(DRAIN_MS));
    node = ChildJvm.start("graceful", port, env, LOGS).awaitReady("/health/ready", Duration.ofSeconds(180));
    // HTTP/1.1: the JDK 17 client fails every open HTTP/2 stream when the server says GOAWAY, even the streams the
    // server goes on to answer, so over HTTP/2 it cannot tell a drain from a cut.
    Api api = new Api(port, HttpClient.Version.HTTP_1_1);
    Map<String, Load.Request> kinds = DemoTraffic.on(api).kinds("Drain", "drain-");
    Load load = Load.start(kinds);
    long signal;
    long exited;
    int status;
    try {
      Await.until(() -> kinds.keySet().stream().allMatch(kind -> load.count(o -> o.kind().equals(kind)
          && o.status() / 100 == 2) >= 3), done -> done, Duration.ofSeconds(120));
      DatabaseEndpoint us = superuser(env.get("CADUCEUS_REGION_US_DB_URL"));
      DatabaseEndpoint global = superuser(env.get("CADUCEUS_GLOBAL_DB_URL"));
      locks.add(Sql.hold(us, "LOCK TABLE patient IN ACCESS EXCLUSIVE MODE"));
      locks.add(Sql.hold(global, "LOCK TABLE app_user IN ACCESS EXCLUSIVE MODE"));
      // Reads, a write and a login of the load now wait on the locks, inside the node's transactions.
      Await.until(() -> waitingOnLocks(us, "patient") >= 3 && waitingOnLocks(global, "app_user") >= 1,
          done -> done, Duration.ofSeconds(60));

      signal = System.nanoTime();
      node.terminate();
      Await.until(() -> load.count(o -> o.kind().equals("ready") && o.sentNanos() > signal
          && o.status() == 503) > 0, done -> done, Duration.ofSeconds(60));
      Await.until(() -> refusesConnections(port), done -> done, Duration.ofSeconds(60));
      locks.forEach(GracefulShutdownTest::release);
      status = node.awaitExit(Duration.ofMillis(DRAIN_MS + 60_000));
      exited = System.nanoTime();
    } finally {
      load.close();
    }

    List<Load.Outcome> outcomes = load.outcomes();
    List<Load.Outcome> inFlight = outcomes.stream().filter(o -> o.sentNanos() < signal && o.endedNanos() > signal)
        .toList();
    report(outcomes, inFlight, signal, exited);
    assertThat(status).as("exit status").isZero();
    assertThat((exited - signal) / 1_000_000).as("ms from SIGTERM to exit").isLessThan(UNREADY_MS + DRAIN_MS);
    assertThat(inFlight).as("requests in flight at the signal").hasSizeGreaterThanOrEqualTo(4);
    assertThat(outcomes).filteredOn(o -> o.sentNanos() < signal)
        .allSatisfy(o -> assertThat(o.status()).as(o.kind() + " sent before the signal").isBetween(200, 299));
    assertThat(outcomes).filteredOn(o -> o.answered() && !o.kind().equals("ready"))
        .allSatisfy(o -> assertThat(o.status()).as(o.kind() + " answered").isBetween(200, 299));
    // Once readiness has said 503 it never says 200 again (before that, the child may not have seen the signal yet).
    long notReady = outcomes.stream().filter(o -> o.kind().equals("ready") && o.status() == 503)
        .mapToLong(Load.Outcome::sentNanos).min().orElseThrow();
    assertThat(outcomes).filteredOn(o -> o.kind().equals("ready") && o.sentNanos() > notReady && o.answered())
        .allSatisfy(o -> assertThat(o.status()).as("readiness once not ready").isEqualTo(503));
    assertThat(stopSteps(node.logLines())).containsExactly("stopping: readiness answers 503",
        "stopping: new connections refused", "stopping: requests drained", "stopping: background work ended",
        "stopped in");
  }

  private static void report(List<Load.Outcome> outcomes, List<Load.Outcome> inFlight, long signal, long exited) {
    System.out.printf("%nSIGTERM under load: %d requests; %d in flight at the signal, answered %s%n",
        outcomes.size(), inFlight.size(), Load.byStatus(inFlight));
    System.out.printf("  sent before the signal: %s%n", Load.byStatus(outcomes.stream()
        .filter(o -> o.sentNanos() < signal).toList()));
    System.out.printf("  sent after the signal:  %s (0: refused, the node no longer accepting)%n",
        Load.byStatus(outcomes.stream().filter(o -> o.sentNanos() >= signal).toList()));
    System.out.printf("  exit %.1f s after SIGTERM (unready %d ms, then the drain)%n%n", (exited - signal) / 1e9,
        UNREADY_MS);
  }

  /** The stop steps the node logged, in order. */
  private static List<String> stopSteps(List<String> lines) {
    List<String> steps = new ArrayList<>();
    for (String line : lines) {
      for (String step : List.of("stopping: readiness answers 503", "stopping: new connections refused",
          "stopping: requests drained", "stopping: background work ended", "stopped in")) {
        if (line.contains(step)) {
          steps.add(step);
        }
      }
    }
    return steps;
  }

  private static long waitingOnLocks(DatabaseEndpoint db, String table) {
    return ((Number) Sql.query(db, "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = ?"
        + " AND wait_event_type = 'Lock' AND query ILIKE ?", db.database(), "%" + table + "%")
        .get(0).get("n")).longValue();
  }

  private static boolean refusesConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      return false;
    } catch (ConnectException refused) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static DatabaseEndpoint superuser(String appUrl) {
    return TestInfrastructure.get().superuser().onDatabase(DatabaseEndpoint.parse(appUrl).database());
  }

  private static void release(Connection lock) {
    try {
      if (!lock.isClosed()) {
        lock.commit();
        lock.close();
      }
    } catch (SQLException e) {
      // the node is gone or the lock was released already
    }
  }
}
