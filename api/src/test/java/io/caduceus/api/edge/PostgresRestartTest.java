package io.caduceus.api.edge;

import io.caduceus.api.boot.AppConfig;
import io.caduceus.api.boot.Application;
import io.caduceus.api.boot.ConfigLoader;
import io.caduceus.api.demo.DemoPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Load;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.embedded.EmbeddedPostgresServer;
import io.caduceus.routing.keys.MasterKey;
import io.caduceus.routing.testing.Await;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL restarted under load. A node (in this JVM) runs on a PostgreSQL server of its own, with the demo
 * platform, while client threads read, write, log in and probe readiness; the server is stopped (a fast shutdown:
 * every connection is cut) and started again on the same data. Throughout, every request either succeeds or answers
 * 503 with {@code Retry-After} and a problem document, never 500 and never without an answer; readiness says down
 * while the database is; afterwards the node serves again without a restart, and its background loops (the audit
 * sealer, the engagement intake, the exchange relay) work again. It prints the outcomes and the time to recover.
 */
@Tag("fault")
class PostgresRestartTest {

  private static Path dataDir;
  private static EmbeddedPostgresServer postgres;
  private static int port;
  private static Application node;
  private static Api api;

  @BeforeAll
  static void aNodeOnItsOwnPostgres() throws Exception {
    dataDir = Files.createTempDirectory("caduceus-pg-restart");
    // Not ephemeral: an ephemeral server deletes its data when it stops, and the restart must find it again.
    postgres = EmbeddedPostgresServer.start(dataDir.resolve("pg"), 0, false);
    port = postgres.port();
    Map<String, String> env = new HashMap<>();
    env.put("CADUCEUS_DB_SUPERUSER_URL", url("postgres", "postgres"));
    env.put("CADUCEUS_GLOBAL_DB_URL", url("caduceus_app:app-pw", "caduceus_global"));
    env.put("CADUCEUS_GLOBAL_DB_OWNER_URL", url("caduceus_owner:owner-pw", "caduceus_global"));
    env.put("CADUCEUS_REGIONS", "us,eu");
    for (String region : List.of("us", "eu")) {
      String key = "CADUCEUS_REGION_" + region.toUpperCase();
      env.put(key + "_DB_URL", url("caduceus_app:app-pw", "caduceus_" + region));
      env.put(key + "_DB_OWNER_URL", url("caduceus_owner:owner-pw", "caduceus_" + region));
    }
    env.put("CADUCEUS_REDIS_URL", TestInfrastructure.get().redisUrl());
    env.put("CADUCEUS_REDIS_KEY_PREFIX", "pg-restart-" + UUID.randomUUID() + ":");
    env.put("CADUCEUS_MASTER_KEY", MasterKey.generateBase64());
    env.put("CADUCEUS_HTTP_PORT", Integer.toString(ChildJvm.freePort()));
    env.put("CADUCEUS_HTTP_INSTANCES", "2");
    env.put("CADUCEUS_DB_POOL_SIZE", "6");
    env.put("CADUCEUS_DEMO_SEED", "true");
    env.put("CADUCEUS_ACCESS_LOG", "false");
    // The load sends as fast as it can as a few users; quotas would answer 429, which is not under test.
    env.put("CADUCEUS_QUOTAS", "false");
    env.put("CADUCEUS_DATA_DIR", dataDir.resolve("node").toString());
    AppConfig config = ConfigLoader.resolve(new JsonObject()
        .put("audit", new JsonObject().put("sealIntervalMs", 300))
        .put("engagement", new JsonObject().put("tickMs", 200)), env);
    node = await(Application.start(config), Duration.ofSeconds(180));
    api = new Api(node.port());
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      await(node.stop());
    }
    if (postgres != null) {
      postgres.close();
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // best effort: the directory is under the system's temporary files
    }
  }

  @Test
  void aRestartAnswersOnly503WithRetryAfterAndTheNodeRecoversByItself() {
    DemoTraffic traffic = DemoTraffic.on(api);
    Map<String, Load.Request> kinds = traffic.kinds("Restart", "pg-restart-");

    Load load = Load.start(kinds);
    long down = Long.MAX_VALUE;
    long up = Long.MAX_VALUE;
    try {
      awaitAnswers(load, kinds.keySet(), 0, true);
      down = System.nanoTime();
      postgres.close();
      // The outage lasts until every kind of request has met it a few times.
      awaitAnswers(load, kinds.keySet(), down, false);
      postgres = EmbeddedPostgresServer.start(dataDir.resolve("pg"), port, false);
      up = System.nanoTime();
      awaitAnswers(load, kinds.keySet(), up, true);
    } finally {
      load.close();
      report(load.outcomes(), down, up);
    }
    List<Load.Outcome> outcomes = load.outcomes();
    assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).as(o.kind() + " answered " + o.status()
        + (o.response() == null ? "" : ": " + o.response().body())).isIn(200, 201, 503));
    assertThat(outcomes).filteredOn(o -> o.status() == 503 && !o.kind().equals("ready")).allSatisfy(o -> {
      assertThat(o.response().header("Retry-After")).as("Retry-After of a 503").isNotNull();
      assertThat(o.response().header("Content-Type")).startsWith("application/problem+json");
      assertThat(o.response().body()).doesNotContain("Exception").doesNotContain("SELECT");
    });
    backgroundLoopsWorkAgain(traffic.desk(), traffic.patient());
  }

  /** Waits until every kind of request sent after {@code after} has succeeded, or failed, a few times. */
  private static void awaitAnswers(Load load, Iterable<String> kinds, long after, boolean succeeded) {
    Await.until(() -> {
      for (String kind : kinds) {
        if (load.count(o -> o.kind().equals(kind) && o.sentNanos() > after && o.answered()
            && (o.status() / 100 == 2) == succeeded) < 3) {
          return false;
        }
      }
      return true;
    }, done -> done, Duration.ofSeconds(120));
  }

  private void backgroundLoopsWorkAgain(String desk, String patient) {
    Instant recovered = Instant.now().minusSeconds(1);
    DatabaseEndpoint us = new DatabaseEndpoint("127.0.0.1", port, "postgres", "postgres", "").onDatabase("caduceus_us");
    // The sealer: a read now leaves an audit event, which a new seal takes in.
    expect(api.get("/v1/patients/" + patient, desk), 200);
    Await.until(() -> Sql.query(us, "SELECT count(*) AS n FROM audit_seal WHERE sealed_at > ?::timestamptz",
        recovered.toString()).get(0).get("n"), n -> ((Number) n).longValue() > 0, Duration.ofSeconds(60));
    // The engagement intake: a booking's notice becomes a message.
    String practitioner = expect(api.get("/v1/practitioners", desk), 200).items().getJsonObject(0).getString("id");
    Instant start = Clinic.nextSlot().plus(3650, ChronoUnit.DAYS);
    String appointment = expect(api.post("/v1/appointments", desk, new JsonObject().put("patientId", patient)
        .put("practitionerId", practitioner).put("start", start.toString())
        .put("end", start.plus(30, ChronoUnit.MINUTES).toString())), 201).json().getString("id");
    Await.until(() -> Sql.query(us, "SELECT count(*) AS n FROM outbox_event WHERE ordering_key = ?"
        + " AND status = 'dispatched'", appointment).get(0).get("n"),
        n -> ((Number) n).longValue() > 0, Duration.ofSeconds(60));
    // The exchange relay: a lab order reaches the linked lab, which acknowledges it.
    String rivera = api.accessToken("dr.rivera@riverside.test", DemoPlatform.PASSWORD);
    String lab = expect(api.get("/v1/partner-links", rivera), 200).items().stream().map(JsonObject.class::cast)
        .filter(l -> "lab_orders".equals(l.getString("scope")) && "active".equals(l.getString("status")))
        .findFirst().orElseThrow().getJsonObject("partner").getString("tenantId");
    String order = expect(api.post("/v1/lab-orders", rivera, new JsonObject().put("patientId", patient)
        .put("labTenantId", lab).put("tests", new JsonArray().add(new JsonObject().put("code", "2823-3")
            .put("display", "Potassium")))), 201).json().getString("id");
    Await.until(() -> api.get("/v1/lab-orders/" + order, rivera).json().getString("status"),
        "received"::equals, Duration.ofSeconds(60));
  }

  private static void report(List<Load.Outcome> outcomes, long down, long up) {
    long lastFailure = outcomes.stream().filter(o -> o.status() / 100 != 2).mapToLong(Load.Outcome::endedNanos)
        .max().orElse(up);
    System.out.printf("%nPostgreSQL restart under load: %d requests%n", outcomes.size());
    System.out.printf("  before the stop:        %s%n", phase(between(outcomes, 0, down)));
    System.out.printf("  while down or starting: %s (%.1f s from the stop to started again)%n",
        phase(between(outcomes, down, up)), up == Long.MAX_VALUE ? -1 : (up - down) / 1e9);
    System.out.printf("  after it started:       %s%n", phase(between(outcomes, up, Long.MAX_VALUE)));
    System.out.printf("  last error answered %.2f s after PostgreSQL was up again%n%n",
        up == Long.MAX_VALUE ? -1 : Math.max(0, lastFailure - up) / 1e9);
  }

  /** Outcomes per status, per kind of request, and the slowest answer. */
  private static String phase(List<Load.Outcome> outcomes) {
    Map<String, Map<Integer, Long>> byKind = new java.util.TreeMap<>();
    outcomes.stream().collect(java.util.stream.Collectors.groupingBy(Load.Outcome::kind))
        .forEach((kind, of) -> byKind.put(kind, Load.byStatus(of)));
    long slowest = outcomes.stream().mapToLong(o -> o.endedNanos() - o.sentNanos()).max().orElse(0);
    return Load.byStatus(outcomes) + " " + byKind + String.format(" slowest %d ms", slowest / 1_000_000);
  }

  private static List<Load.Outcome> between(List<Load.Outcome> outcomes, long from, long to) {
    return outcomes.stream().filter(o -> o.sentNanos() > from && o.sentNanos() <= to).toList();
  }

  private static String url(String credentials, String database) {
    return "postgresql://" + credentials + "@127.0.0.1:" + port + "/" + database;
  }
}
