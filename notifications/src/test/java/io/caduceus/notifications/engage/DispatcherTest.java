package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.ProviderEndpoints;
import io.caduceus.notifications.fakes.FakeFcm;
import io.caduceus.notifications.fakes.FakeTwilio;
import io.caduceus.notifications.fakes.Hold;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The dispatcher against real PostgreSQL and Redis, sending through the Firebase and Twilio SDKs to local fakes. */
class DispatcherTest {

  private static DatabaseEndpoint database;
  private static Vertx fakes;
  private static FakeFcm fcm;
  private static FakeTwilio twilio;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T15:00:00Z"));
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
    engine = engine(new DispatchOptions(50, Duration.ofMinutes(2), 3, Duration.ofSeconds(2), null, "https://app.test"));
  }

  @AfterEach
  void stop() {
    engine.stop();
  }

  private Engine engine(DispatchOptions options) {
    return new Engine(database, new ProviderEndpoints(fcm.baseUrl(), twilio.baseUrl()), clock, options,
        Map.of("twilio", 1000.0, "fcm", 1000.0));
  }

  @Test
  void pushGoesThroughFirebaseWithTheMessageKeyAsCollapseKey() {
    TenantContext t = Engine.tenant();
    String token = "tok-" + UUID.randomUUID();
    UUID id = engine.notify(t, Topic.LAB_RESULT_AVAILABLE, engine.patient(t, "+15550001001", token), false,
        clock.instant());
    engine.cycle();
    Message m = engine.message(t, id);
    assertThat(m.status()).isEqualTo(MessageStatus.SENT);
    assertThat(m.channel()).isEqualTo("push");
    assertThat(m.provider()).isEqualTo("fcm:caduceus-test");
    FakeFcm.Sent sent = fcm.ledger().stream().filter(s -> s.token().equals(token)).findFirst().orElseThrow();
    assertThat(sent.collapseKey()).isEqualTo(m.id().toString());
    assertThat(sent.body()).contains("new result").doesNotContainIgnoringCase("hba1c");
  }

  @Test
  void anUnregisteredTokenRemovesTheDeviceAndTheMessageFallsBackToSms() {
    TenantContext t = Engine.tenant();
    String token = "gone-" + UUID.randomUUID();
    fcm.unregistered(token);
    String phone = "+1555" + (1_000_000 + (int) (Math.random() * 8_999_999));
    UUID id = engine.notify(t, Topic.PRESCRIPTION_READY, engine.patient(t, phone, token), false, clock.instant());
    engine.cycle();
    engine.cycle();
    Message m = engine.message(t, id);
    assertThat(m.status()).isEqualTo(MessageStatus.SENT);
    assertThat(m.channel()).isEqualTo("sms");
    assertThat(engine.rows(t, "SELECT 1 FROM device")).isEmpty();
    assertThat(twilio.ledger().stream().filter(s -> s.to().equals(phone)).count()).isEqualTo(1);
    assertThat(engine.history(t, id)).extracting(Messages.Event::status)
        .containsSubsequence("sending", "channel_failed", "sending", "sent");
  }

  @Test
  void retryableFailuresBackOffThenDeadLetterAndARequeueDelivers() {
    TenantContext t = Engine.tenant();
    String phone = "+1555" + (1_000_000 + (int) (Math.random() * 8_999_999));
    UUID id = engine.notify(t, Topic.CLAIM_STATUS_CHANGED, engine.patient(t, phone, null), false, clock.instant());
    twilio.failNext(3, 503);
    engine.cycle();
    Message first = engine.message(t, id);
    assertThat(first.status()).isEqualTo(MessageStatus.QUEUED);
    assertThat(first.nextAttemptAt()).isAfter(clock.instant());
    assertThat(engine.cycle()).isZero();
    for (int i = 0; i < 2; i++) {
      clock.advance(Duration.ofHours(2));
      engine.cycle();
    }
    Message dead = engine.message(t, id);
    assertThat(dead.status()).isEqualTo(MessageStatus.DEAD);
    assertThat(dead.attempts()).isEqualTo(3);
    assertThat(dead.lastError()).doesNotContain(phone);
    await(engine.db.inTenant(t, conn -> engine.messages.requeue(conn, id, "test", clock.instant())));
    engine.cycle();
    assertThat(engine.message(t, id).status()).isEqualTo(MessageStatus.SENT);
    assertThat(twilio.ledger().stream().filter(s -> s.to().equals(phone)).count()).isEqualTo(1);
  }

  @Test
  void aSendInterruptedAfterTwilioAcceptedItIsReconciledNotRepeated() {
    TenantContext t = Engine.tenant();
    String phone = "+1555" + (1_000_000 + (int) (Math.random() * 8_999_999));
    UUID id = engine.notify(t, Topic.PRESCRIPTION_READY, engine.patient(t, phone, null), false, clock.instant());
    Hold hold = twilio.holdNext();
    engine.dispatcher.runOnce();
    await(hold.arrived());
    engine.crash();
    hold.release();
    engine = engine(new DispatchOptions(50, Duration.ofMinutes(2), 3, Duration.ofSeconds(2), null, "https://app.test"));
    assertThat(engine.message(t, id).status()).isEqualTo(MessageStatus.SENDING);
    engine.cycle();
    assertThat(engine.message(t, id).status()).isEqualTo(MessageStatus.SENDING);
    clock.advance(Duration.ofMinutes(3));
    engine.cycle();
    Message m = engine.message(t, id);
    assertThat(m.status()).isEqualTo(MessageStatus.SENT);
    List<FakeTwilio.Sent> sends = twilio.ledger().stream().filter(s -> s.to().equals(phone)).toList();
    assertThat(sends).hasSize(1);
    assertThat(m.providerMessageId()).isEqualTo(sends.get(0).sid());
    assertThat(engine.history(t, id)).extracting(Messages.Event::status).containsSubsequence("reconciling", "sent");
  }

  @Test
  void aSendThatDiedBeforeReachingTwilioIsSentOnceOnRecovery() {
    TenantContext t = Engine.tenant();
    String phone = "+1555" + (1_000_000 + (int) (Math.random() * 8_999_999));
    UUID id = engine.notify(t, Topic.PRESCRIPTION_READY, engine.patient(t, phone, null), false, clock.instant());
    // What a dispatcher killed right after committing its write-ahead leaves behind: 'sending', never sent.
    await(engine.db.inTenant(t, conn -> conn.preparedQuery("UPDATE message SET status = 'sending', channel = 'sms',"
        + " attempt_id = gen_random_uuid(), sending_since = $2, lease_until = $2,"
        + " content = '{\"body\": \"Your prescription is ready for pickup.\", \"locale\": \"en\"}' WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(id, io.caduceus.routing.Timestamps.utc(clock.instant())))));
    clock.advance(Duration.ofMinutes(1));
    engine.cycle();
    assertThat(engine.message(t, id).status()).isEqualTo(MessageStatus.SENT);
    assertThat(twilio.ledger().stream().filter(s -> s.to().equals(phone)).count()).isEqualTo(1);
    engine.cycle();
    assertThat(twilio.ledger().stream().filter(s -> s.to().equals(phone)).count()).isEqualTo(1);
  }

  @Test
  void aFiftyThousandMessageCampaignDelaysAnotherTenantsReminderByNoMoreThanOneCycle() {
    TenantContext a = Engine.tenant();
    TenantContext b = Engine.tenant();
    UUID crowd = engine.patient(a, null, null);
    await(engine.db.inTenant(a, conn -> conn.preparedQuery("INSERT INTO message (tenant_id, id, idempotency_key,"
        + " topic, category, source, recipient_kind, recipient_id, critical, next_attempt_at)"
        + " SELECT current_setting('app.tenant_id')::uuid, gen_random_uuid(), 'campaign:' || n, 'campaign',"
        + " 'campaigns', 'campaign', 'patient', $1, true, $2 FROM generate_series(1, 50000) n")
        .execute(io.vertx.sqlclient.Tuple.of(crowd, io.caduceus.routing.Timestamps.utc(clock.instant())))));
    String phone = "+1555" + (1_000_000 + (int) (Math.random() * 8_999_999));
    UUID reminder = engine.notify(b, Topic.APPOINTMENT_REMINDER, engine.patient(b, phone, null), false,
        clock.instant());
    engine.cycle();
    assertThat(engine.message(b, reminder).status()).isEqualTo(MessageStatus.SENT);
    assertThat(engine.rows(a, "SELECT count(*) FROM message WHERE status = 'queued'").get(0).getLong(0))
        .isGreaterThanOrEqualTo(49_900L);
  }

  @Test
  void aProviderAccountsRateLimitInRedisHoldsBackWhatExceedsItWithoutSpendingAnAttempt() {
    Engine limited = new Engine(database, new ProviderEndpoints(fcm.baseUrl(), twilio.baseUrl()), clock,
        new DispatchOptions(50, Duration.ofMinutes(2), 3, Duration.ofSeconds(2), null, "https://app.test"),
        Map.of("twilio", 1.0));
    try {
      TenantContext t = Engine.tenant();
      String phone = "+1555" + (1_000_000 + (int) (Math.random() * 8_999_999));
      UUID patient = limited.patient(t, phone, null);
      List<UUID> ids = List.of(limited.notify(t, Topic.PRESCRIPTION_READY, patient, true, clock.instant()),
          limited.notify(t, Topic.REFILL_DUE, patient, true, clock.instant()),
          limited.notify(t, Topic.CLAIM_STATUS_CHANGED, patient, true, clock.instant()));
      limited.cycle();
      List<Message> after = ids.stream().map(id -> limited.message(t, id)).toList();
      assertThat(after).filteredOn(m -> m.status() == MessageStatus.SENT).hasSize(1);
      assertThat(after).filteredOn(m -> m.status() == MessageStatus.QUEUED)
          .hasSize(2).allSatisfy(m -> {
            assertThat(m.attempts()).isZero();
            assertThat(m.nextAttemptAt()).isAfter(clock.instant());
          });
      assertThat(twilio.ledger().stream().filter(s -> s.to().equals(phone)).count()).isEqualTo(1);
    } finally {
      limited.stop();
    }
  }

  @Test
  void anSmsWhoseSendTimedOutIsLookedUpAtTwilioBeforeItIsSentAgain() {
    TenantContext t = Engine.tenant();
    String phone = "+1555" + (1_000_000 + (int) (Math.random() * 8_999_999));
    UUID id = engine.notify(t, Topic.PRESCRIPTION_READY, engine.patient(t, phone, null), false, clock.instant());
    // Twilio takes the message and never answers: the send times out, though Twilio has it.
    Hold hold = twilio.holdNext();
    engine.cycle();
    assertThat(engine.message(t, id).status()).isEqualTo(MessageStatus.QUEUED);
    await(hold.arrived());
    clock.advance(Duration.ofHours(1));
    engine.cycle();
    Message m = engine.message(t, id);
    assertThat(m.status()).isEqualTo(MessageStatus.SENT);
    assertThat(twilio.ledger().stream().filter(s -> s.to().equals(phone)).count()).isEqualTo(1);
    assertThat(engine.history(t, id)).extracting(Messages.Event::status)
        .containsSubsequence("sending", "retry", "reconciling", "sent");
  }
}
