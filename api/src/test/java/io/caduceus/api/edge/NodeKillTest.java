package io.caduceus.api.edge;

import io.caduceus.api.demo.DemoPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Load;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.testing.Await;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a node under write load, with a ledger of what the clients were told. Client threads register patients,
 * each request with its own {@code Idempotency-Key}; a 201 is acknowledged, a request the node died with is in doubt.
 * The node (a child JVM) is killed with SIGKILL mid-load and started again on the same databases, and every write in
 * doubt is retried with its key, as a client would. Then every acknowledged write is there, every write in doubt is
 * there once (replayed if it had committed, done now if it had not), and no write is there twice.
 */
@Tag("fault")
class NodeKillTest {

  private static final Path LOGS = Path.of("target", "node-kill");
  private static final int WRITERS = 4;
  private static final int ACKNOWLEDGED_BEFORE_THE_KILL = 60;

  private ChildJvm node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.kill();
    }
  }

  @Test
  void everyAcknowledgedWriteOutlivesAKillAndARetriedWriteIsNeverDoubled() throws Exception {
    int port = ChildJvm.freePort();
    Map<String, String> env = ChildJvm.demoNode(port, "caduceus-kill");
    node = ChildJvm.start("kill-before", port, env, LOGS).awaitReady("/health/ready", Duration.ofSeconds(180));
    Api api = new Api(port, HttpClient.Version.HTTP_1_1);
    String desk = api.accessToken("frontdesk@riverside.test", DemoPlatform.PASSWORD);
    String family = "Ledger-" + UUID.randomUUID().toString().substring(0, 8);

    Map<String, Load.Request> writers = new LinkedHashMap<>();
    for (int w = 0; w < WRITERS; w++) {
      String writer = "w" + w;
      writers.put(writer, (id, n) -> register(api, desk, family, writer + "-" + n));
    }
    Load load = Load.start(writers);
    try {
      Await.until(() -> load.count(o -> o.status() == 201), n -> n >= ACKNOWLEDGED_BEFORE_THE_KILL,
          Duration.ofSeconds(120));
      node.kill();
      node.awaitExit(Duration.ofSeconds(60));
    } finally {
      load.close();
    }
    List<Load.Outcome> ledger = load.outcomes();
    Map<String, String> acknowledged = new HashMap<>();
    ledger.stream().filter(o -> o.status() == 201)
        .forEach(o -> acknowledged.put(write(o), o.response().json().getString("id")));
    List<String> inDoubt = ledger.stream().filter(o -> !o.answered()).map(NodeKillTest::write).toList();
    assertThat(ledger).as("answers other than 201 before the kill")
        .allSatisfy(o -> assertThat(o.status()).isIn(0, 201));

    long restarting = System.nanoTime();
    node = ChildJvm.start("kill-after", port, env, LOGS).awaitReady("/health/ready", Duration.ofSeconds(180));
    long restartMs = (System.nanoTime() - restarting) / 1_000_000;
    int replayed = 0;
    for (String write : inDoubt) {
      Api.Response retried = expect(register(api, desk, family, write), 201);
      replayed += "true".equals(retried.header("Idempotent-Replayed")) ? 1 : 0;
    }

    acknowledged.forEach((write, id) -> assertThat(expect(api.get("/v1/patients/" + id, desk), 200).json()
        .getJsonObject("name").getString("given")).isEqualTo(write));
    Map<String, Long> stored = stored(env, family);
    System.out.printf("%nkill -9 under write load: %d writes acknowledged before the kill, %d in doubt"
            + " (%d had committed and were replayed, %d were done on retry); after the restart (%d ms):"
            + " %d stored, %d lost, %d stored twice%n%n",
        acknowledged.size(), inDoubt.size(), replayed, inDoubt.size() - replayed, restartMs, stored.size(),
        acknowledged.keySet().stream().filter(w -> !stored.containsKey(w)).count(),
        stored.values().stream().filter(n -> n > 1).count());
    assertThat(stored).as("each write stored once").allSatisfy((write, n) -> assertThat(n).as(write).isEqualTo(1L));
    assertThat(stored.keySet()).as("acknowledged or retried, and nothing else")
        .containsExactlyInAnyOrderElementsOf(concat(acknowledged.keySet(), inDoubt));
  }

  /** Which write an outcome was: its worker's name and number, also the patient's given name and key suffix. */
  private static String write(Load.Outcome o) {
    return o.kind() + "-" + o.n();
  }

  private static Api.Response register(Api api, String token, String family, String write) {
    return api.post("/v1/patients", token, new JsonObject()
        .put("name", new JsonObject().put("family", family).put("given", write)).put("birthDate", "1980-01-01"),
        Map.of("Idempotency-Key", family + "-" + write));
  }

  /** How many rows each write left, read as the superuser (past row-level security). */
  private static Map<String, Long> stored(Map<String, String> env, String family) {
    DatabaseEndpoint us = TestInfrastructure.get().superuser()
        .onDatabase(DatabaseEndpoint.parse(env.get("CADUCEUS_REGION_US_DB_URL")).database());
    Map<String, Long> rows = new HashMap<>();
    Sql.query(us, "SELECT given_name, count(*) AS n FROM patient WHERE family_name = ? GROUP BY given_name", family)
        .forEach(row -> rows.put((String) row.get("given_name"), ((Number) row.get("n")).longValue()));
    return rows;
  }

  private static List<String> concat(Collection<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
