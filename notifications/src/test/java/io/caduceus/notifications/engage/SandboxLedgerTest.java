package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.ProviderEndpoints;
import io.caduceus.notifications.template.Composer;
import io.caduceus.notifications.template.ShippedTemplates;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.TenantContext;
import io.vertx.sqlclient.Row;
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

/**
 * The sandbox, the provider of every channel without an account, keeps a provider's ledger: each send it accepted
 * and each look-up it answered, committed before it answers, so the sends a message really got can be counted
 * after a crash. The crash window is reproduced with the dispatcher's own two halves: the planner claims and marks
 * the messages 'sending' (committed), the sandbox takes the sends, and nothing is recorded, as when the process
 * dies there; the lease runs out and a whole dispatch cycle reconciles.
 */
class SandboxLedgerTest {

  private static final Duration LEASE = Duration.ofMinutes(2);
  private static DatabaseEndpoint database;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T15:00:00Z"));
  private final DispatchOptions options = new DispatchOptions(50, LEASE, 3, Duration.ofSeconds(2), null,
      "https://app.test");
  private Engine engine;

  @BeforeAll
  static void databases() {
    database = Engine.database();
  }

  @BeforeEach
  void start() {
    // No account on any channel: everything goes to the sandbox. The endpoints are never called.
    engine = new Engine(database, new ProviderEndpoints("http://127.0.0.1:9", "http://127.0.0.1:9"), clock, options,
        Map.of(), new PlatformAccounts(null, null, null));
  }

  @AfterEach
  void stop() {
    engine.stop();
  }

  @Test
  void eachSendIsInTheLedgerWithTheKeyTheProviderWouldSee() {
    TenantContext t = Engine.tenant();
    Map<String, UUID> messages = oneMessagePerChannel(t);

    engine.cycle();

    messages.forEach((channel, id) -> {
      Message m = engine.message(t, id);
      assertThat(m.status()).isEqualTo(MessageStatus.SENT);
      assertThat(m.channel()).isEqualTo(channel);
      assertThat(m.provider()).isEqualTo("sandbox");
      List<Row> ledger = ledger(t, id);
      assertThat(ledger).singleElement().satisfies(send -> {
        assertThat(send.getString("kind")).isEqualTo("send");
        assertThat(send.getString("channel")).isEqualTo(channel);
        assertThat(send.getString("provider_key")).isEqualTo(id.toString());
        assertThat(send.getString("outcome")).isEqualTo("accepted");
        assertThat(m.providerMessageId()).isEqualTo("sandbox-" + send.getUUID("id"));
      });
    });
  }

  @Test
  void afterADispatcherDiedWithItsSendsTakenOnlyPushAndEmailAreSentAgainWithTheSameKey() {
    TenantContext t = Engine.tenant();
    Map<String, UUID> messages = oneMessagePerChannel(t);
    List<Attempt> attempts = claim(t);
    assertThat(attempts).hasSize(3);
    for (Attempt a : attempts) {
      await(new SandboxSender(engine.db, t, a.channel()).send(a.outgoing(a.addresses().get(0))));
    }
    // The dispatcher dies here: the sandbox has the three sends, the messages are still 'sending'.

    clock.advance(LEASE.plusSeconds(1));
    engine.cycle();

    messages.forEach((channel, id) -> assertThat(engine.message(t, id).status()).as(channel)
        .isEqualTo(MessageStatus.SENT));
    // SMS: looked up, found, recorded as sent with the first send's id; nothing sent again.
    UUID sms = messages.get("sms");
    assertThat(kinds(t, sms)).containsExactly("send:accepted", "look_up:found");
    assertThat(engine.message(t, sms).providerMessageId()).isEqualTo("sandbox-" + ledger(t, sms).get(0).getUUID("id"));
    assertThat(engine.history(t, sms)).extracting(Messages.Event::detail)
        .contains("found at the provider after an interrupted send");
    // Push and email cannot be looked up: sent again, with the same key, which the device or mailbox collapses.
    for (String channel : List.of("push", "email")) {
      UUID id = messages.get(channel);
      assertThat(kinds(t, id)).as(channel).containsExactly("send:accepted", "send:accepted");
      assertThat(ledger(t, id)).extracting(row -> row.getString("provider_key")).containsOnly(id.toString());
    }
  }

  @Test
  void afterADispatcherDiedBeforeItsSendsEveryMessageIsSentOnce() {
    TenantContext t = Engine.tenant();
    Map<String, UUID> messages = oneMessagePerChannel(t);
    assertThat(claim(t)).hasSize(3);
    // The dispatcher dies before calling the provider: 'sending' is committed, the sandbox has nothing.

    clock.advance(LEASE.plusSeconds(1));
    engine.cycle();

    messages.forEach((channel, id) -> assertThat(engine.message(t, id).status()).as(channel)
        .isEqualTo(MessageStatus.SENT));
    assertThat(kinds(t, messages.get("sms"))).containsExactly("look_up:not_found", "send:accepted");
    assertThat(kinds(t, messages.get("push"))).containsExactly("send:accepted");
    assertThat(kinds(t, messages.get("email"))).containsExactly("send:accepted");
  }

  /** A push (the patient has a device), an SMS (a phone, no device) and an email (neither). */
  private Map<String, UUID> oneMessagePerChannel(TenantContext t) {
    UUID push = engine.notify(t, Topic.LAB_RESULT_AVAILABLE, engine.patient(t, "+15550002001", "tok-" + UUID.randomUUID()),
        false, clock.instant());
    UUID sms = engine.notify(t, Topic.PRESCRIPTION_READY, engine.patient(t, "+15550002002", null), false,
        clock.instant());
    UUID email = engine.notify(t, Topic.CLAIM_STATUS_CHANGED, engine.patient(t, null, null), false, clock.instant());
    return Map.of("push", push, "sms", sms, "email", email);
  }

  /** The first half of a dispatch cycle, committed: the due messages claimed and marked 'sending'. */
  private List<Attempt> claim(TenantContext t) {
    // No keyring: these messages carry no sealed links.
    Planner planner = new Planner(new TableRecipients(), null, new Composer(ShippedTemplates.load()),
        new DeliveryPolicy(), options, TopicHolds.NONE);
    return await(engine.db.inTenant(t, conn -> planner.claim(conn, t, clock.instant())));
  }

  private List<Row> ledger(TenantContext t, UUID message) {
    return engine.rows(t, "SELECT * FROM sandbox_attempt WHERE message_id = $1 ORDER BY id", message);
  }

  private List<String> kinds(TenantContext t, UUID message) {
    return ledger(t, message).stream().map(row -> row.getString("kind") + ":" + row.getString("outcome")).toList();
  }
}
