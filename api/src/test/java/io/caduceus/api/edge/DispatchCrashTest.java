package io.caduceus.api.edge;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.demo.DemoPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Sql;
import io.caduceus.notifications.fakes.FakeFcm;
import io.caduceus.notifications.fakes.FakeTwilio;
import io.caduceus.notifications.fakes.Hold;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.testing.Await;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.caduceus.api.auth.mfa.Base32;
import io.caduceus.api.auth.mfa.Totp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node killed with SIGKILL in the middle of dispatching a batch, then started again on the same databases. Two
 * tenants of one node: one sends through its own accounts to the local fakes (the Firebase and Twilio SDKs to
 * FakeFcm and FakeTwilio, SMTP to GreenMail, all in this JVM, so their ledgers outlive the node), the other through
 * the sandbox, whose ledger is in its database. The crash window is made certain, not hoped for: the fakes hold
 * the first push and the first SMS unanswered, so the batch they belong to cannot finish; once every message of
 * that batch has reached its provider, and none is recorded, the node is killed. After the restart every message
 * must be delivered, each once, except a push or an email sent in the window, which the design allows one repeat
 * with the same collapse key or Message-ID; an SMS in the window is looked up at Twilio and never sent again.
 * Node output is kept in {@code target/dispatch-crash/}.
 */
class DispatchCrashTest {

  private static final Path LOGS = Path.of("target", "dispatch-crash");
  private static final String PASSWORD = "crash-test-password-1";
  private static final String TWILIO_SID = "AC" + "00112233445566778899aabbccddeeff";
  private static final String TWILIO_TOKEN = "crash-test-twilio-token";
  private static final List<String> CHANNELS = List.of("push", "sms", "email");
  private static final int PER_CHANNEL = 8;
  private static final Duration STARTUP = Duration.ofMinutes(5);
  private static final Duration PATIENCE = Duration.ofMinutes(3);
  // Batches of 20 (of each tenant's 24 messages), a send timeout no held send reaches before the kill, and a lease
  // past it: the restarted node reconciles the orphans 35 s after they were claimed.
  private static final JsonObject CONFIG = new JsonObject().put("engagement", new JsonObject().put("tickMs", 100)
      .put("perTenantBatch", 20).put("sendTimeoutMs", 30_000).put("leaseSeconds", 35)
      .put("ratesPerSecond", new JsonObject().put("twilio", 1000).put("fcm", 1000).put("smtp", 1000)));

  /** One message of the batch: whose, to which patient, on which channel, and the provider's address for it. */
  record Planned(String tenant, UUID message, UUID patient, String channel, String address) {
  }

  private final Vertx vertx = Vertx.vertx();
  private final List<ChildJvm> nodes = new ArrayList<>();
  private FakeFcm fcm;
  private FakeTwilio twilio;
  private GreenMail smtp;
  private DatabaseEndpoint us;
  private int phones;

  @AfterEach
  void stop() {
    nodes.forEach(ChildJvm::kill);
    if (smtp != null) {
      smtp.stop();
    }
    await(vertx.close());
  }

  @Test
  void aNodeKilledMidDispatchDeliversEverythingAndRepeatsOnlyWhatTheDeviceOrMailboxCollapses() throws Exception {
    fcm = await(FakeFcm.start(vertx));
    twilio = await(FakeTwilio.start(vertx, TWILIO_SID, TWILIO_TOKEN));
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    Map<String, String> env = environment();
    ChildJvm first = node("node-1", env);
    Api api = new Api(first.port());
    String owner = api.accessToken("owner@caduceus.test", DemoPlatform.PASSWORD);
    Map<String, String> real = tenant(api, owner, "crash-own");
    credentials(api, real.get("admin"));
    Map<String, String> sandboxed = tenant(api, owner, "crash-sandbox");
    List<Planned> batch = new ArrayList<>(patients(api, real));
    batch.addAll(patients(api, sandboxed));

    Hold push = fcm.holdNext();
    Hold sms = twilio.holdNext();
    release(batch);
    Await.until(() -> inTheWindow(batch, real.get("id"), push, sms), reached -> reached, PATIENCE);
    first.kill();
    first.awaitExit(PATIENCE);
    Map<UUID, String> statusAtKill = statuses(batch);
    Map<UUID, Integer> sendsAtKill = sends(batch);
    push.release();
    sms.release();

    node("node-2", withPort(env));
    Await.until(() -> statuses(batch).values().stream().filter("sent"::equals).count(),
        sent -> sent == batch.size(), PATIENCE);
    Map<UUID, Integer> sends = sends(batch);
    report(batch, statusAtKill, sendsAtKill, sends, real.get("id"));
    for (Planned m : batch) {
      boolean inWindow = "sending".equals(statusAtKill.get(m.message())) && sendsAtKill.get(m.message()) > 0;
      int allowed = inWindow && !"sms".equals(m.channel()) ? 2 : 1;
      assertThat(sends.get(m.message())).as("%s %s (at the kill: %s, %d sent)", m.channel(), m.message(),
          statusAtKill.get(m.message()), sendsAtKill.get(m.message())).isEqualTo(allowed);
    }
    List<Planned> window = batch.stream().filter(m -> m.tenant().equals(real.get("id"))
        && "sending".equals(statusAtKill.get(m.message()))).toList();
    assertThat(window.stream().map(Planned::channel).distinct()).as("channels in the crash window")
        .containsExactlyInAnyOrderElementsOf(CHANNELS);
    window.forEach(this::repeatsCarryTheSameKeyAndSmsWasFound);
  }

  /** Each push or email sent twice went out with the same key both times; each SMS was found, not sent again. */
  private void repeatsCarryTheSameKeyAndSmsWasFound(Planned m) {
    String key = m.message().toString();
    switch (m.channel()) {
      case "push" -> {
        List<FakeFcm.Sent> pushes = fcm.ledger().stream().filter(s -> s.token().equals(m.address())).toList();
        assertThat(pushes).hasSize(2).allSatisfy(s -> {
          assertThat(s.collapseKey()).isEqualTo(key);
          assertThat(s.tag()).isEqualTo(key);
          assertThat(s.data()).containsEntry("messageId", key);
          assertThat(s.apnsCollapseId()).isNotNull().isEqualTo(pushes.get(0).apnsCollapseId());
        });
      }
      case "email" -> assertThat(messageIds(m.address())).containsExactly("<" + key + "@caduceus>",
          "<" + key + "@caduceus>");
      default -> {
        Map<String, Object> row = Sql.query(us, "SELECT provider_message_id FROM message WHERE id = ?", m.message())
            .get(0);
        assertThat(twilio.ledger().stream().filter(s -> s.to().equals(m.address())).map(FakeTwilio.Sent::sid))
            .containsExactly((String) row.get("provider_message_id"));
        assertThat(Sql.query(us, "SELECT detail FROM message_event WHERE message_id = ? AND status = 'sent'",
            m.message()).get(0).get("detail")).isEqualTo("found at the provider after an interrupted send");
      }
    }
  }

  /**
   * Whether the node is where a crash hurts most: both held sends arrived, so the batch they are in cannot be
   * recorded, and every message of the own-accounts tenant that is 'sending' has reached its provider.
   */
  private boolean inTheWindow(List<Planned> batch, String tenant, Hold push, Hold sms) {
    if (!push.arrived().isComplete() || !sms.arrived().isComplete()) {
      return false;
    }
    Map<UUID, String> status = statuses(batch);
    Map<UUID, Integer> sent = sends(batch);
    List<Planned> sending = batch.stream().filter(m -> m.tenant().equals(tenant)
        && "sending".equals(status.get(m.message()))).toList();
    return !sending.isEmpty() && sending.stream().allMatch(m -> sent.get(m.message()) > 0);
  }

  /** How often each message reached its provider: the fakes' ledgers, and the sandbox's own in its database. */
  private Map<UUID, Integer> sends(List<Planned> batch) {
    Map<UUID, Integer> sandbox = new HashMap<>();
    Sql.query(us, "SELECT message_id, count(*) AS n FROM sandbox_attempt WHERE kind = 'send' GROUP BY message_id")
        .forEach(row -> sandbox.put((UUID) row.get("message_id"), ((Number) row.get("n")).intValue()));
    Map<UUID, Integer> counts = new HashMap<>();
    for (Planned m : batch) {
      int real = switch (m.channel()) {
        case "push" -> (int) fcm.ledger().stream().filter(s -> s.token().equals(m.address())).count();
        case "sms" -> (int) twilio.ledger().stream().filter(s -> s.to().equals(m.address())).count();
        default -> messageIds(m.address()).size();
      };
      counts.put(m.message(), real + sandbox.getOrDefault(m.message(), 0));
    }
    return counts;
  }

  private List<String> messageIds(String email) {
    List<String> ids = new ArrayList<>();
    for (var received : smtp.getReceivedMessages()) {
      try {
        if (received.getAllRecipients()[0].toString().equals(email)) {
          ids.add(received.getMessageID());
        }
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      }
    }
    return ids;
  }

  private Map<UUID, String> statuses(List<Planned> batch) {
    Map<UUID, String> status = new HashMap<>();
    Sql.query(us, "SELECT id, status FROM message WHERE idempotency_key LIKE 'crash:%'")
        .forEach(row -> status.put((UUID) row.get("id"), (String) row.get("status")));
    return status;
  }

  /** Prints, per tenant and channel: messages, how many were in the crash window, provider sends and repeats. */
  private static void report(List<Planned> batch, Map<UUID, String> atKill, Map<UUID, Integer> sendsAtKill,
                             Map<UUID, Integer> sends, String realTenant) {
    Map<String, List<Planned>> groups = batch.stream().collect(Collectors.groupingBy(
        m -> String.format("%-12s %-5s", m.tenant().equals(realTenant) ? "own accounts" : "sandbox", m.channel())));
    groups.keySet().stream().sorted().forEach(group -> {
      List<Planned> ms = groups.get(group);
      long window = ms.stream().filter(m -> "sending".equals(atKill.get(m.message()))).count();
      long before = ms.stream().mapToInt(m -> sendsAtKill.get(m.message())).sum();
      long total = ms.stream().mapToInt(m -> sends.get(m.message())).sum();
      System.out.printf("dispatch crash: %s  %2d messages, %2d in the crash window (%2d sent before the kill),"
          + " %2d provider sends, %2d repeats%n", group, ms.size(), window, before, total, total - ms.size());
    });
  }

  private Map<String, String> environment() throws Exception {
    Map<String, String> env = TestPlatform.freshEnvironment();
    us = TestInfrastructure.get().superuser().onDatabase(DatabaseEndpoint.parse(
        env.get("CADUCEUS_REGION_US_DB_OWNER_URL")).database());
    Path config = Files.createTempFile("dispatch-crash", ".json");
    Files.writeString(config, CONFIG.encode());
    env.put("CADUCEUS_CONFIG", config.toString());
    env.put("CADUCEUS_DATA_DIR", Files.createTempDirectory("dispatch-crash-data").toString());
    env.put("CADUCEUS_HTTP_INSTANCES", "1");
    env.put("CADUCEUS_DEMO_SEED", "true");
    env.put("CADUCEUS_FCM_BASE_URL", fcm.baseUrl());
    env.put("CADUCEUS_TWILIO_BASE_URL", twilio.baseUrl());
    return withPort(env);
  }

  private static Map<String, String> withPort(Map<String, String> env) {
    Map<String, String> copy = new HashMap<>(env);
    copy.put("CADUCEUS_HTTP_PORT", Integer.toString(ChildJvm.freePort()));
    return copy;
  }

  private ChildJvm node(String name, Map<String, String> env) {
    ChildJvm node = ChildJvm.start(name, Integer.parseInt(env.get("CADUCEUS_HTTP_PORT")), env, LOGS);
    nodes.add(node);
    return node.awaitReady("/health/ready", STARTUP);
  }

  /** A clinic made by the platform owner, its admin signed in, its rules: any hour, up to 100 messages a day. */
  private static Map<String, String> tenant(Api api, String owner, String slug) {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    JsonObject created = expect(api.post("/v1/platform/tenants", owner, new JsonObject().put("kind", "clinic")
        .put("slug", slug + "-" + suffix).put("name", "Crash " + slug).put("dataRegion", "us").put("locale", "en-US")
        .put("timeZone", "America/New_York").put("adminEmail", "admin-" + suffix + "@" + slug + ".test")), 201).json();
    String admin = expect(api.post("/v1/invitations/accept", null, new JsonObject().put("token",
            created.getJsonObject("adminInvitation").getString("token")).put("password", PASSWORD)
        .put("displayName", "Admin")), 200).json().getString("accessToken");
    // Provider credentials are a step-up operation: the new admin enrols an authenticator, whose first code proves it.
    String secret = expect(api.post("/v1/auth/mfa/totp", admin, null), 200).json().getString("secret");
    admin = expect(api.post("/v1/auth/mfa/totp/confirm", admin, new JsonObject().put("code", new Totp()
        .code(Base32.decode(secret), Totp.step(java.time.Instant.now())))), 200).json().getJsonObject("session")
        .getString("accessToken");
    JsonObject settings = expect(api.get("/v1/engagement/settings", admin), 200).json();
    settings.remove("version");
    settings.put("quietHours", new JsonObject().put("start", "00:00").put("end", "00:00")).put("dailyCap", 100);
    expect(api.put("/v1/engagement/settings", admin, settings), 200);
    return Map.of("id", created.getJsonObject("tenant").getString("id"), "admin", admin);
  }

  /** The tenant's own accounts: a Firebase project, a Twilio account and an SMTP relay, all local fakes. */
  private void credentials(Api api, String admin) throws Exception {
    expect(api.put("/v1/engagement/credentials/push", admin, new JsonObject().put("projectId", "crash-test")
        .put("serviceAccountJson", serviceAccountJson("crash-test"))), 200);
    expect(api.put("/v1/engagement/credentials/sms", admin, new JsonObject().put("accountSid", TWILIO_SID)
        .put("authToken", TWILIO_TOKEN).put("from", "+15005550006")), 200);
    expect(api.put("/v1/engagement/credentials/email", admin, new JsonObject().put("host", "127.0.0.1")
        .put("port", smtp.getSmtp().getPort()).put("from", "clinic@crash.test").put("startTls", false)), 200);
  }

  /**
   * Eight patients per channel, each reachable on that channel only (a device, a phone or an email), and one
   * message for each, written not yet due: {@link #release} makes a whole tenant's batch due in one commit.
   */
  private List<Planned> patients(Api api, Map<String, String> tenant) {
    List<Planned> planned = new ArrayList<>();
    for (int i = 0; i < PER_CHANNEL * CHANNELS.size(); i++) {
      String channel = CHANNELS.get(i % CHANNELS.size());
      String n = UUID.randomUUID().toString().substring(0, 8);
      String address = switch (channel) {
        case "push" -> "crash-device-" + n;
        case "sms" -> "+12125550" + (100 + phones++);
        default -> "patient-" + n + "@crash.test";
      };
      JsonObject contact = "sms".equals(channel) ? new JsonObject().put("phone", address)
          : "email".equals(channel) ? new JsonObject().put("email", address) : new JsonObject();
      UUID patient = UUID.fromString(expect(api.post("/v1/patients", tenant.get("admin"), new JsonObject()
          .put("name", new JsonObject().put("family", "Crash" + n).put("given", "Pat")).put("contact", contact)), 201)
          .json().getString("id"));
      expect(api.put("/v1/patients/" + patient + "/notification-preferences", tenant.get("admin"), new JsonObject()
          .put("channelOrder", new JsonArray().add(channel))), 200);
      UUID tenantId = UUID.fromString(tenant.get("id"));
      if ("push".equals(channel)) {
        Sql.update(us, "INSERT INTO device (tenant_id, id, patient_id, token, platform) VALUES (?, ?, ?, ?, 'android')",
            tenantId, UUID.randomUUID(), patient, address);
      }
      UUID message = UUID.randomUUID();
      Sql.update(us, "INSERT INTO message (tenant_id, id, idempotency_key, topic, category, source, recipient_kind,"
          + " recipient_id, next_attempt_at) VALUES (?, ?, ?, 'message.received', 'messages', 'event', 'patient', ?,"
          + " '2100-01-01T00:00:00Z'::timestamptz + ? * interval '1 millisecond')", tenantId, message,
          "crash:" + message, patient, planned.size());
      planned.add(new Planned(tenant.get("id"), message, patient, channel, address));
    }
    return planned;
  }

  /** Makes every planned message due at once, in the order planned (channels interleaved). */
  private void release(List<Planned> batch) {
    // Nothing else of these tenants is due or in flight (their admins' invitations went out by mail), so the first
    // batch the node claims is made of planned messages only.
    Await.until(() -> Sql.query(us, "SELECT count(*) AS n FROM message WHERE tenant_id = ANY (?::uuid[])"
            + " AND idempotency_key NOT LIKE 'crash:%' AND (status = 'sending' OR status = 'queued'"
            + " AND next_attempt_at <= now())", tenantIds(batch)).get(0).get("n"), n -> ((Number) n).longValue() == 0,
        PATIENCE);
    Sql.update(us, "UPDATE message SET next_attempt_at = now() - interval '1 hour'"
        + " + (next_attempt_at - '2100-01-01T00:00:00Z'::timestamptz) WHERE idempotency_key LIKE 'crash:%'");
  }

  private static String tenantIds(List<Planned> batch) {
    return batch.stream().map(Planned::tenant).distinct().collect(Collectors.joining(",", "{", "}"));
  }

  private static String serviceAccountJson(String projectId) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String key = Base64.getMimeEncoder(64, "\n".getBytes())
        .encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
    return new JsonObject().put("type", "service_account").put("project_id", projectId)
        .put("private_key_id", "crash-key")
        .put("private_key", "-----BEGIN PRIVATE KEY-----\n" + key + "\n-----END PRIVATE KEY-----\n")
        .put("client_email", "sender@" + projectId + ".iam.gserviceaccount.com").put("client_id", "1234567890")
        .put("token_uri", "https://oauth2.googleapis.com/token").encode();
  }
}
