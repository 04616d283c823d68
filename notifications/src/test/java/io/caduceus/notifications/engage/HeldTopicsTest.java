package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.ProviderEndpoints;
import io.caduceus.notifications.fakes.FakeFcm;
import io.caduceus.notifications.fakes.FakeTwilio;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Held topics (a tenant's module that is off, issue 16): the dispatcher passes their messages over, untouched, while
 * it sends the tenant's others, and sends them once the hold ends, unless their own time has passed. Sends go
 * through the Twilio SDK to the local fake, whose ledger is what was delivered.
 */
class HeldTopicsTest {

  private static final Logger LOG = LoggerFactory.getLogger(HeldTopicsTest.class);
  private static DatabaseEndpoint database;
  private static Vertx fakes;
  private static FakeFcm fcm;
  private static FakeTwilio twilio;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T15:00:00Z"));
  private final AtomicReference<Set<Topic>> held = new AtomicReference<>(Set.of());
  private Engine engine;

  @BeforeAll
  static void providers() {
    database = Engine.database();
    fakes = Vertx.vertx();
    fcm = await(FakeFcm.start(fakes));
    twilio = await(FakeTwilio.start(fakes, Engine.TWILIO_SID, Engine.TWILIO_TOKEN));
  }

  @AfterAll
  static void stopProviders() {
    await(fakes.close());
  }

  @BeforeEach
  void start() {
    engine = new Engine(database, new ProviderEndpoints(fcm.baseUrl(), twilio.baseUrl()), clock,
        new DispatchOptions(50, Duration.ofMinutes(2), 3, Duration.ofSeconds(2), null, "https://app.test"),
        Map.of("twilio", 1000.0, "fcm", 1000.0), Engine.ACCOUNTS, tenant -> held.get());
  }

  @AfterEach
  void stop() {
    engine.stop();
  }

  private static String phone() {
    return "+1555" + (1_000_000 + (int) (Math.random() * 8_999_999));
  }

  private long delivered(String phone) {
    return twilio.ledger().stream().filter(s -> s.to().equals(phone)).count();
  }

  @Test
  void aHeldMessageStaysQueuedUntouchedWhileTheCyclePassesItAndGoesOutOnceReleased() {
    TenantContext t = Engine.tenant();
    String heldPhone = phone();
    String otherPhone = phone();
    // Queued while nothing is held, due a minute before the other: a claim that did not pass it over takes it first.
    UUID waiting = engine.notify(t, Topic.MESSAGE_RECEIVED, engine.patient(t, heldPhone, null), false,
        clock.instant().minusSeconds(60));
    UUID other = engine.notify(t, Topic.APPOINTMENT_BOOKED, engine.patient(t, otherPhone, null), false,
        clock.instant());
    held.set(Set.of(Topic.MESSAGE_RECEIVED));

    assertThat(engine.cycle()).as("the cycle handled only the message that is not held").isEqualTo(1);
    assertThat(engine.message(t, other).status()).isEqualTo(MessageStatus.SENT);
    assertThat(delivered(otherPhone)).isEqualTo(1);
    Message untouched = engine.message(t, waiting);
    assertThat(untouched.status()).isEqualTo(MessageStatus.QUEUED);
    assertThat(untouched.attempts()).isZero();
    assertThat(untouched.nextAttemptAt()).isBefore(clock.instant());
    assertThat(engine.history(t, waiting)).extracting(Messages.Event::status).containsExactly("queued");
    assertThat(delivered(heldPhone)).as("nothing reached the provider while held").isZero();
    assertThat(engine.cycle()).isZero();

    held.set(Set.of());
    assertThat(engine.cycle()).isEqualTo(1);
    assertThat(engine.message(t, waiting).status()).isEqualTo(MessageStatus.SENT);
    assertThat(delivered(heldPhone)).isEqualTo(1);
  }

  @Test
  void aHeldMessageWhoseTimePassedWhileHeldExpiresInsteadOfGoingOut() {
    TenantContext t = Engine.tenant();
    String phone = phone();
    UUID patient = engine.patient(t, phone, null);
    held.set(Set.of(Topic.SURVEY));
    Instant now = clock.instant();
    UUID stale = survey(t, patient, now, now.plus(Duration.ofHours(1)));
    UUID fresh = survey(t, patient, now, null);
    engine.cycle();
    assertThat(engine.message(t, stale).status()).isEqualTo(MessageStatus.QUEUED);

    clock.advance(Duration.ofHours(2));
    held.set(Set.of());
    engine.cycle();
    assertThat(engine.message(t, stale).status()).isEqualTo(MessageStatus.EXPIRED);
    assertThat(engine.message(t, fresh).status()).isEqualTo(MessageStatus.SENT);
    assertThat(delivered(phone)).isEqualTo(1);
  }

  private UUID survey(TenantContext t, UUID patient, Instant now, Instant expiresAt) {
    NewMessage m = new NewMessage("test:" + UUID.randomUUID(), Topic.SURVEY, "survey", null, RecipientKind.PATIENT,
        patient, new JsonObject().put("link", "https://app.test/surveys/1"), false, null, expiresAt, null);
    return await(engine.db.inTenant(t, conn -> engine.messages.enqueue(conn, m, now))).orElseThrow();
  }

  @Test
  void anInterruptedSendOfAHeldTopicIsNotReconciledUntilReleased() {
    TenantContext t = Engine.tenant();
    String phone = phone();
    UUID id = engine.notify(t, Topic.MESSAGE_RECEIVED, engine.patient(t, phone, null), false, clock.instant());
    // What a dispatcher killed right after committing its write-ahead leaves behind: 'sending', never sent.
    await(engine.db.inTenant(t, conn -> conn.preparedQuery("UPDATE message SET status = 'sending', channel = 'sms',"
        + " attempt_id = gen_random_uuid(), sending_since = $2, lease_until = $2,"
        + " content = '{\"body\": \"You have a new secure message.\", \"locale\": \"en\"}' WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(id, io.caduceus.routing.Timestamps.utc(clock.instant())))));
    held.set(Set.of(Topic.MESSAGE_RECEIVED));
    clock.advance(Duration.ofMinutes(1));
    assertThat(engine.cycle()).isZero();
    assertThat(engine.message(t, id).status()).isEqualTo(MessageStatus.SENDING);
    assertThat(delivered(phone)).isZero();
    held.set(Set.of());
    engine.cycle();
    assertThat(engine.message(t, id).status()).isEqualTo(MessageStatus.SENT);
    assertThat(delivered(phone)).isEqualTo(1);
  }

  /**
   * Claimed topic by topic around a hold, the tenant's open messages still go out critical first, a batch (50) per
   * cycle, each once: a critical one due last goes in the first batch, the rest in the next, the held ones never.
   */
  @Test
  void aroundAHoldOpenTopicsGoOutCriticalFirstABatchACycleEachOnce() {
    TenantContext t = Engine.tenant();
    Instant now = clock.instant();
    List<String> phones = new ArrayList<>();
    List<UUID> open = new ArrayList<>();
    for (int i = 0; i < 55; i++) {
      String p = phone();
      phones.add(p);
      open.add(engine.notify(t, i % 2 == 0 ? Topic.APPOINTMENT_BOOKED : Topic.FOLLOW_UP, engine.patient(t, p, null),
          false, now.minusSeconds(120 - i)));
    }
    String criticalPhone = phone();
    UUID critical = engine.notify(t, Topic.LAB_RESULT_ABNORMAL, engine.patient(t, criticalPhone, null), true, now);
    String heldPhone = phone();
    UUID waiting = engine.notify(t, Topic.MESSAGE_RECEIVED, engine.patient(t, heldPhone, null), false,
        now.minusSeconds(600));
    held.set(Set.of(Topic.MESSAGE_RECEIVED));

    assertThat(engine.cycle()).as("one batch").isEqualTo(50);
    assertThat(engine.message(t, critical).status()).as("critical first").isEqualTo(MessageStatus.SENT);
    assertThat(engine.message(t, open.get(54)).status()).as("the latest due waits its turn")
        .isEqualTo(MessageStatus.QUEUED);
    assertThat(engine.cycle()).isEqualTo(6);
    assertThat(engine.cycle()).isZero();
    assertThat(open).allMatch(id -> engine.message(t, id).status() == MessageStatus.SENT);
    assertThat(phones).allMatch(p -> delivered(p) == 1);
    assertThat(delivered(criticalPhone)).isEqualTo(1);
    assertThat(engine.message(t, waiting).status()).isEqualTo(MessageStatus.QUEUED);
    assertThat(engine.message(t, waiting).attempts()).isZero();
    assertThat(delivered(heldPhone)).isZero();
  }

  @Test
  void aHeldBacklogOfFiftyThousandIsPassedOverAndTheTenantsOtherMessagesStillGoInTheSameCycle() {
    TenantContext t = Engine.tenant();
    UUID crowd = engine.patient(t, null, null);
    await(engine.db.inTenant(t, conn -> conn.preparedQuery("INSERT INTO message (tenant_id, id, idempotency_key,"
        + " topic, category, source, recipient_kind, recipient_id, critical, next_attempt_at)"
        + " SELECT current_setting('app.tenant_id')::uuid, gen_random_uuid(), 'campaign:' || n, 'campaign',"
        + " 'campaigns', 'campaign', 'patient', $1, false, $2 FROM generate_series(1, 50000) n")
        .execute(io.vertx.sqlclient.Tuple.of(crowd, io.caduceus.routing.Timestamps.utc(clock.instant().minusSeconds(60))))));
    held.set(Set.of(Topic.CAMPAIGN));
    String phone = phone();
    UUID reminder = engine.notify(t, Topic.APPOINTMENT_REMINDER, engine.patient(t, phone, null), false,
        clock.instant());
    long start = System.nanoTime();
    assertThat(engine.cycle()).isEqualTo(1);
    long first = System.nanoTime() - start;
    assertThat(engine.message(t, reminder).status()).isEqualTo(MessageStatus.SENT);
    start = System.nanoTime();
    assertThat(engine.cycle()).isZero();
    long idle = System.nanoTime() - start;
    LOG.info("held backlog of 50,000: a cycle sending one other message took {} ms, an idle cycle {} ms",
        first / 1_000_000, idle / 1_000_000);
    assertThat(engine.rows(t, "SELECT count(*) FROM message WHERE status = 'queued' AND attempts = 0").get(0)
        .getLong(0)).isEqualTo(50_000L);
  }
}
