package io.caduceus.notifications.outbox;

import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.schema.MigrationSet;
import io.caduceus.routing.testing.Await;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The relay delivers at least once, in order per key, with retries, a dead state and no concurrent duplicates. */
class OutboxRelayTest {

  private static DatabaseEndpoint owner;

  private Vertx vertx;
  private RegionRegistry regions;
  private TenantDb db;
  private final Outbox outbox = new Outbox();
  private final TenantContext sender = context();
  private final List<String> delivered = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void database() {
    owner = TestInfrastructure.get().freshDatabases(List.of("us"),
        List.of(new MigrationSet(Outbox.MIGRATIONS, "notifications_history"))).get("us");
  }

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    regions = RegionRegistry.open(vertx, Map.of("us", TestInfrastructure.get().asApp(owner)), 4, 1);
    db = new TenantDb(regions);
  }

  @AfterEach
  void close() {
    await(regions.close());
    await(vertx.close());
  }

  @Test
  void deliversEveryMessageInCommitOrderPerKey() {
    append("test.a", "key-1", "first");
    append("test.a", "key-1", "second");
    append("test.a", "key-2", "other");
    append("test.a", "key-1", "third");
    OutboxRelay relay = relay((ctx, m) -> record(m));
    drain(relay);
    assertThat(delivered).containsExactlyInAnyOrder("first", "second", "third", "other");
    assertThat(delivered.stream().filter(n -> !n.equals("other")).toList()).containsExactly("first", "second", "third");
    assertThat(statuses()).containsOnly("dispatched");
  }

  @Test
  void aFailingMessageIsRetriedThenDeadAndHoldsBackOnlyItsOwnKey() {
    append("test.a", "stuck", "poison");
    append("test.a", "stuck", "behind");
    append("test.a", "free", "unrelated");
    OutboxRelay relay = relay((ctx, m) -> m.payload().getString("name").equals("poison")
        ? Future.failedFuture(new IllegalStateException("provider down")) : record(m));
    Await.until(() -> {
      await(relay.runOnce());
      boolean dead = statuses().contains("dead");
      if (!dead) {
        assertThat(delivered).doesNotContain("behind");
      }
      return dead;
    }, dead -> dead);
    drain(relay);
    assertThat(delivered).containsExactlyInAnyOrder("unrelated", "behind");
    List<Map<String, Object>> rows = rows("SELECT payload->>'name' AS name, status, attempts, last_error FROM outbox_event"
        + " WHERE payload->>'name' = 'poison'");
    assertThat(rows.get(0)).containsEntry("status", "dead").containsEntry("attempts", 3)
        .containsEntry("last_error", "IllegalStateException");
  }

  @Test
  void aPermanentFailureIsDeadAtOnce() {
    append("test.a", "k", "revoked");
    await(relay((ctx, m) -> Future.failedFuture(new PermanentFailure("link revoked"))).runOnce());
    Map<String, Object> row = rows("SELECT status, attempts, last_error FROM outbox_event").get(0);
    assertThat(row).containsEntry("status", "dead").containsEntry("attempts", 1).containsEntry("last_error",
        "link revoked");
  }

  @Test
  void concurrentRelaysNeverDeliverOneMessageTwice() {
    for (int i = 0; i < 60; i++) {
      append("test.a", "key-" + (i % 7), "m" + i);
    }
    OutboxRelay one = relay((ctx, m) -> vertx.timer(2).compose(v -> record(m)));
    OutboxRelay two = relay((ctx, m) -> vertx.timer(2).compose(v -> record(m)));
    Await.until(() -> {
      await(Future.all(one.runOnce(), two.runOnce()));
      return delivered.size();
    }, n -> n >= 60);
    assertThat(delivered).hasSize(60).doesNotHaveDuplicates();
  }

  @Test
  void aRelayTakesOnlyItsTopicFamily() {
    append("exchange.lab_order.placed", "o1", "for-exchange");
    append("notify.appointment.booked", "a1", "for-notifications");
    drain(relayOf("exchange", (ctx, m) -> record(m)));
    assertThat(delivered).containsExactly("for-exchange");
    assertThat(rows("SELECT status FROM outbox_event WHERE topic = 'notify.appointment.booked'").get(0))
        .containsEntry("status", "pending");
  }

  @Test
  void aBacklogOfOneKeyIsClaimedByAProbePerMessageAndDeliveredInOrder() {
    await(db.inTenant(sender, conn -> conn.query("INSERT INTO outbox_event (tenant_id, id, topic, ordering_key, payload)"
        + " SELECT current_setting('app.tenant_id')::uuid, ('00000000-0000-7000-8000-' || lpad(to_hex(k), 12, '0'))::uuid,"
        + " 'test.backlog', 'one-key',"
        + " jsonb_build_object('name', 'b' || lpad(k::text, 4, '0')) FROM generate_series(1, 300) k").execute()));
    String plan = await(db.inTenant(sender, conn -> conn.preparedQuery("EXPLAIN " + RelaySql.CLAIM)
        .execute(Tuple.of(new String[] {"test"}, 10)))).stream()
        .map(row -> row.getString(0)).reduce("", (a, b) -> a + "\n" + b);
    assertThat(plan).contains("SubPlan").contains("outbox_event_family_order").doesNotContain("Anti Join");
    drain(relay((ctx, m) -> record(m)));
    assertThat(delivered).hasSize(300).isSorted();
  }

  private OutboxRelay relay(RelayHandler handler) {
    return relayOf("test", handler);
  }

  private OutboxRelay relayOf(String family, RelayHandler handler) {
    return new OutboxRelay(db, regions, List.of(family), handler, 10, 3, 1);
  }

  private Future<Void> record(OutboxRecord message) {
    delivered.add(message.payload().getString("name"));
    return Future.succeededFuture();
  }

  /** Runs the relay until a round finds nothing due for it (no test here leaves one of its messages backing off). */
  private void drain(OutboxRelay relay) {
    Await.until(() -> await(relay.runOnce()), handled -> handled == 0);
  }

  private void append(String topic, String key, String name) {
    await(db.inTenant(sender, conn -> outbox.append(conn, sender.tenantId(),
        new OutboxMessage(topic, key, new JsonObject().put("name", name)))));
  }

  private List<String> statuses() {
    return rows("SELECT status FROM outbox_event").stream().map(r -> (String) r.get("status")).distinct().toList();
  }

  private List<Map<String, Object>> rows(String sql) {
    return await(db.inTenant(sender, conn -> conn.query(sql).execute())).stream().map(row -> {
      Map<String, Object> map = new LinkedHashMap<>();
      for (int i = 0; i < row.size(); i++) {
        map.put(row.getColumnName(i), row.getValue(i));
      }
      return map;
    }).toList();
  }

  private static TenantContext context() {
    return new TenantContext(new TenantId(UUID.randomUUID()), "us", IsolationTier.SHARED, UUID.randomUUID(),
        Set.of("system"), Set.of(), Optional.empty(), "req", "127.0.0.1", null);
  }
}
