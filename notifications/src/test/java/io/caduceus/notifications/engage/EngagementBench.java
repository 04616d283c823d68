package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.ProviderEndpoints;
import io.caduceus.notifications.fakes.FakeFcm;
import io.caduceus.notifications.fakes.FakeTwilio;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery throughput with durability on, against the fakes through the real SDKs, beside a raw insert/update loop
 * on the same database in the same run. Run with {@code bench/engagement.sh}; not part of the test suite.
 */
@Tag("bench")
class EngagementBench {

  private static final int TENANTS = Integer.getInteger("bench.tenants", 10);
  private static final int PER_TENANT = Integer.getInteger("bench.messages", 2_000);

  @Test
  void deliveryThroughputAgainstARawInsertUpdateLoop() {
    System.setProperty("sun.net.http.retryPost", System.getProperty("bench.retryPost", "true"));
    DatabaseEndpoint database = Engine.database();
    Vertx fakes = Vertx.vertx();
    FakeFcm fcm = await(FakeFcm.start(fakes));
    FakeTwilio twilio = await(FakeTwilio.start(fakes, Engine.TWILIO_SID, Engine.TWILIO_TOKEN));
    MutableClock clock = new MutableClock(Instant.now());
    Engine engine = new Engine(database, new ProviderEndpoints(fcm.baseUrl(), twilio.baseUrl()), clock,
        new DispatchOptions(50, Duration.ofMinutes(2), 6, Duration.ofSeconds(2), null, "https://app.test"),
        Map.of("twilio", 100_000.0, "fcm", 100_000.0));
    List<TenantContext> tenants = new ArrayList<>();
    for (int t = 0; t < TENANTS; t++) {
      TenantContext tenant = Engine.tenant();
      tenants.add(tenant);
      UUID pushPatient = engine.patient(tenant, null, "bench-token-" + t);
      UUID smsPatient = engine.patient(tenant, "+1555000" + String.format("%04d", t), null);
      await(engine.db.inTenant(tenant, conn -> conn.preparedQuery("INSERT INTO message (tenant_id, id, idempotency_key,"
          + " topic, category, source, recipient_kind, recipient_id, critical, next_attempt_at)"
          + " SELECT current_setting('app.tenant_id')::uuid, gen_random_uuid(), 'bench:' || n, 'lab_result.available',"
          + " 'results', 'event', 'patient', CASE WHEN n % 2 = 0 THEN $1::uuid ELSE $2::uuid END, true, $3::timestamptz"
          + " FROM generate_series(1, $4::int) n").execute(Tuple.of(pushPatient, smsPatient,
          Timestamps.utc(clock.instant()), PER_TENANT))));
    }
    int total = TENANTS * PER_TENANT;

    long started = System.nanoTime();
    long delivered = 0;
    int cycles = 0;
    while (delivered < total) {
      clock.set(Instant.now());
      if (engine.cycle() == 0 || ++cycles % 20 == 0) {
        delivered = sentCount(engine, tenants);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long sent = engine.rows(tenants.get(0), "SELECT count(*) FROM message WHERE status = 'sent'").get(0).getLong(0);
    assertThat(sent).isEqualTo(PER_TENANT);
    long attempts = 0;
    for (TenantContext tenant : tenants) {
      attempts += engine.rows(tenant, "SELECT sum(attempts) FROM message").get(0).getLong(0);
    }
    System.out.printf("  attempts recorded: %d for %d messages%n", attempts, total);
    engine.rows(tenants.get(0), "SELECT status, detail, count(*) AS n FROM message_event WHERE status IN ('retry',"
        + " 'dead', 'failed', 'channel_failed') GROUP BY 1, 2").forEach(r -> System.out.printf(
        "  tenant 1 %s: %s x%d%n", r.getString("status"), r.getString("detail"), r.getLong("n")));
    long fcmKeys = fcm.ledger().stream().map(FakeFcm.Sent::collapseKey).distinct().count();
    System.out.printf("  provider ledgers: FCM %d sends of %d distinct keys, Twilio %d sends%n", fcm.ledger().size(),
        fcmKeys, twilio.ledger().size());
    assertThat(fcmKeys + twilio.ledger().size()).isEqualTo(total);

    long rawStarted = System.nanoTime();
    List<Future<Void>> loops = new ArrayList<>();
    for (TenantContext tenant : tenants) {
      loops.add(rawLoop(engine, tenant, PER_TENANT));
    }
    await(Future.all(loops));
    double rawSeconds = (System.nanoTime() - rawStarted) / 1e9;

    double rate = total / seconds;
    double raw = total / rawSeconds;
    System.out.printf("ENGAGEMENT BENCH: %d messages (%d tenants, half push via FCM, half SMS via Twilio)%n", total,
        TENANTS);
    System.out.printf("  delivered, durable: %.0f messages/s (%.2f ms of wall time per message)%n", rate,
        1000 * seconds / total);
    engine.rows(tenants.get(0), "SELECT coalesce(last_error, 'none') AS e, count(*) AS n, sum(attempts) AS a"
        + " FROM message WHERE idempotency_key LIKE 'bench:%' GROUP BY 1").forEach(r -> System.out.printf("  tenant 1: %d messages, last error %s,"
        + " %d attempts%n", r.getLong("n"), r.getString("e"), r.getLong("a")));
    System.out.printf("  raw loop (one INSERT then one UPDATE per message, %d concurrent loops): %.0f messages/s%n",
        TENANTS, raw);
    System.out.printf("  ratio delivered / raw: %.2f%n", rate / raw);
    engine.stop();
    await(fakes.close());
  }

  private static long sentCount(Engine engine, List<TenantContext> tenants) {
    long sent = 0;
    for (TenantContext tenant : tenants) {
      sent += engine.rows(tenant, "SELECT count(*) FROM message WHERE status = 'sent'").get(0).getLong(0);
    }
    return sent;
  }

  /** A message row inserted and then marked sent, each its own committed statement in the tenant's scope. */
  private static Future<Void> rawLoop(Engine engine, TenantContext tenant, int n) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < n; i++) {
      chain = chain.compose(v -> engine.db.once(tenant, conn -> conn.preparedQuery("INSERT INTO message (tenant_id,"
              + " id, idempotency_key, topic, category, source, recipient_kind, recipient_id)"
              + " VALUES (current_setting('app.tenant_id')::uuid, $1, $2, 'campaign', 'campaigns', 'campaign',"
              + " 'patient', $1) RETURNING id").execute(Tuple.of(UUID.randomUUID(), "raw:" + UUID.randomUUID())))
          .compose(rows -> engine.db.once(tenant, conn -> conn.preparedQuery("UPDATE message SET status = 'sent',"
              + " sent_at = now() WHERE id = $1").execute(Tuple.of(rows.iterator().next().getUUID(0)))))
          .mapEmpty());
    }
    return chain;
  }
}
