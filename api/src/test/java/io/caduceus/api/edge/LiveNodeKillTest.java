package io.caduceus.api.edge;

import io.caduceus.api.demo.DemoPlatform;
import io.caduceus.api.live.LiveClient;
import io.caduceus.api.testing.Api;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.embedded.EmbeddedPostgresServer;
import io.caduceus.routing.embedded.EmbeddedRedisServer;
import io.caduceus.routing.keys.MasterKey;
import io.caduceus.routing.schema.ClusterBootstrap;
import io.caduceus.routing.schema.DatabaseRoles;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a node while its live clients are connected (issue 12's reliability proof). Two nodes (child JVMs) serve
 * one region database. Maria's app, on the node about to die, sends chat messages as fast as its limits allow, and Dr.
 * Rivera's console on the other node watches the chat. The first node is killed mid-stream. Maria's app reconnects to
 * the other node, reads the chat's current state, and sends again every message it had no {@code ack} for, with the
 * same {@code clientId}, as the reconnect rule says. Then every acknowledged message is there, every message is there
 * once, and the console saw the survivors' messages live without reconnecting.
 */
@Tag("fault")
class LiveNodeKillTest {

  private static final Path LOGS = Path.of("target", "live-node-kill");
  private static final Duration STARTUP = Duration.ofMinutes(5);
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final int MESSAGES = 8;

  private final List<AutoCloseable> servers = new ArrayList<>();
  private final List<ChildJvm> nodes = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    nodes.forEach(ChildJvm::kill);
    for (AutoCloseable server : servers) {
      server.close();
    }
  }

  @Test
  void theClientsOfAKilledNodeReconnectToTheOtherAndNoAcknowledgedMessageIsLost() throws Exception {
    Files.createDirectories(LOGS);
    EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(LOGS.resolve("pg"), 0, true);
    servers.add(pg);
    EmbeddedRedisServer redis = EmbeddedRedisServer.start(null, 0);
    servers.add(redis);
    DatabaseEndpoint superuser = pg.superuser();
    ClusterBootstrap.ensure(superuser, new DatabaseRoles("caduceus_owner", "owner-pw", "caduceus_app", "app-pw",
        "caduceus_scanner"), List.of("caduceus_global", "caduceus_us", "caduceus_eu"));
    Map<String, String> common = new HashMap<>();
    for (String db : List.of("global", "us", "eu")) {
      String key = "global".equals(db) ? "CADUCEUS_GLOBAL" : "CADUCEUS_REGION_" + db.toUpperCase();
      common.put(key + "_DB_URL", url(superuser, "caduceus_app:app-pw", "caduceus_" + db));
      common.put(key + "_DB_OWNER_URL", url(superuser, "caduceus_owner:owner-pw", "caduceus_" + db));
    }
    common.put("CADUCEUS_REGIONS", "us,eu");
    common.put("CADUCEUS_REDIS_URL", redis.url());
    common.put("CADUCEUS_MASTER_KEY", MasterKey.generateBase64());
    common.put("CADUCEUS_HTTP_INSTANCES", "1");
    common.put("CADUCEUS_DB_POOL_SIZE", "4");
    common.put("CADUCEUS_QUOTAS", "false");
    common.put("CADUCEUS_DATA_DIR", LOGS.resolve("data").toString());
    // The first node migrates and seeds the demo alone; the second starts on what it made.
    ChildJvm doomed = node("live-doomed", common, true).awaitReady("/health/ready", STARTUP);
    ChildJvm survivor = node("live-survivor", common, false).awaitReady("/health/ready", STARTUP);

    Api api = new Api(survivor.port());
    String maria = api.accessToken("maria.garcia@patient.test", DemoPlatform.PASSWORD);
    String rivera = api.accessToken("dr.rivera@riverside.test", DemoPlatform.PASSWORD);
    String sessionId = expect(api.get("/v1/appointments", maria), 200).items().stream()
        .map(JsonObject.class::cast).filter(a -> "virtual".equals(a.getString("modality")))
        .findFirst().orElseThrow().getString("sessionId");

    try (LiveClient console = LiveClient.authenticated(survivor.port(), rivera)) {
      console.send(subscribe("chat", sessionId));
      console.next("snapshot");

      Map<String, String> acknowledged = new LinkedHashMap<>();
      List<String> sent = new ArrayList<>();
      try (LiveClient app = LiveClient.authenticated(doomed.port(), maria)) {
        for (int n = 0; n < MESSAGES; n++) {
          String clientId = "m-" + n;
          app.send(new JsonObject().put("type", "send").put("sessionId", sessionId).put("clientId", clientId)
              .put("body", "message " + n));
          sent.add(clientId);
        }
        // The first acknowledgement, the rest in flight or queued: the node dies now.
        app.next("ack");
        doomed.kill();
        doomed.awaitExit(PATIENCE);
        // Whatever acks the dead node got out before it died are acknowledgements too.
        app.seen().stream().filter(f -> "ack".equals(f.getString("type")))
            .forEach(f -> acknowledged.put(f.getString("clientId"), f.getString("id")));
        assertThat(app.closeCode()).as("the killed node's socket drops without a close frame").isNotEqualTo(1000);
      }

      // The reconnect rule: authenticate on another node, take the current state, resend what had no ack.
      try (LiveClient app = LiveClient.authenticated(survivor.port(), maria)) {
        app.send(subscribe("chat", sessionId));
        List<JsonObject> before = messages(app.next("snapshot"));
        assertThat(before.stream().map(m -> m.getString("id")).collect(Collectors.toSet()))
            .as("every acknowledged message survived the kill").containsAll(acknowledged.values());
        Set<String> stored = before.stream().map(m -> m.getString("clientId")).collect(Collectors.toSet());
        int acknowledgedBeforeTheKill = acknowledged.size();
        long storedUnacknowledged = sent.stream().filter(c -> stored.contains(c) && !acknowledged.containsKey(c))
            .count();
        for (String clientId : sent) {
          if (!acknowledged.containsKey(clientId)) {
            app.send(new JsonObject().put("type", "send").put("sessionId", sessionId).put("clientId", clientId)
                .put("body", "message " + clientId.substring(2)));
            JsonObject ack = app.next(f -> "ack".equals(f.getString("type"))
                && clientId.equals(f.getString("clientId")), PATIENCE);
            acknowledged.put(clientId, ack.getString("id"));
          }
        }
        System.out.printf("%nkill -9 with live clients: %d chat messages sent to the killed node, %d acknowledged"
                + " before the kill, %d stored but unacknowledged (resent: answered as stored), %d lost in flight"
                + " (resent: stored now); after: every message stored once%n%n", sent.size(),
            acknowledgedBeforeTheKill, storedUnacknowledged, sent.stream().filter(c -> !stored.contains(c)).count());
      }

      List<JsonObject> chat = expect(api.get("/v1/telehealth/sessions/" + sessionId + "/messages?limit=100", rivera),
          200).items().stream().map(JsonObject.class::cast).toList();
      assertThat(chat.stream().map(m -> m.getString("clientId")).toList()).as("each message stored once")
          .containsExactlyInAnyOrderElementsOf(sent);
      assertThat(chat.stream().map(m -> m.getString("id")).toList()).containsAll(acknowledged.values());
      // The console on the surviving node never reconnected, and saw every message that arrived, live.
      Set<String> live = new HashSet<>();
      while (live.size() < sent.size()) {
        JsonObject frame = console.next(f -> "chat".equals(f.getString("type")), PATIENCE);
        messages(frame).forEach(m -> live.add(m.getString("clientId")));
      }
      assertThat(live).containsExactlyInAnyOrderElementsOf(sent);
      assertThat(console.isClosed()).isFalse();
    }
  }

  private ChildJvm node(String name, Map<String, String> common, boolean seed) {
    int port = ChildJvm.freePort();
    Map<String, String> env = new HashMap<>(common);
    env.put("CADUCEUS_HTTP_PORT", Integer.toString(port));
    env.put("CADUCEUS_DEMO_SEED", Boolean.toString(seed));
    ChildJvm node = ChildJvm.start(name, port, env, LOGS);
    nodes.add(node);
    return node;
  }

  private static JsonObject subscribe(String topic, String sessionId) {
    return new JsonObject().put("type", "subscribe").put("id", topic + "-" + UUID.randomUUID()).put("topic", topic)
        .put("sessionId", sessionId);
  }

  /** The messages a snapshot or chat frame carries, oldest first. */
  private static List<JsonObject> messages(JsonObject frame) {
    return frame.getJsonArray("messages").stream().map(JsonObject.class::cast).toList();
  }

  private static String url(DatabaseEndpoint server, String credentials, String database) {
    return "postgresql://" + credentials + "@" + server.host() + ":" + server.port() + "/" + database;
  }
}
