package io.caduceus.notifications.channel;

import io.caduceus.notifications.fakes.FakeFcm;
import io.caduceus.notifications.fakes.Hold;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.notifications.channel.SendOutcomes.failure;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Push goes through the real Firebase Admin SDK to a fake FCM, and FCM's answers become the engine's outcomes. */
@ExtendWith(VertxExtension.class)
class FcmSenderTest {

  private static final String TOKEN = "device-token-1";

  private Vertx vertx;
  private WorkerExecutor workers;
  private FakeFcm fcm;
  private FcmSender sender;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    workers = vertx.createSharedWorkerExecutor("fcm-test", 4);
    fcm = await(FakeFcm.start(vertx));
    sender = sender(new FcmAccount("caduceus-test", null), Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    await(sender.close());
  }

  @Test
  void sendsWithTheKeyAsCollapseKeyTagApnsCollapseIdAndMessageId() {
    Outgoing message = push("appt-42-reminder", TOKEN);
    Receipt receipt = await(sender.send(message));

    assertThat(fcm.ledger()).singleElement().satisfies(sent -> {
      assertThat(sent.project()).isEqualTo("caduceus-test");
      assertThat(sent.token()).isEqualTo(TOKEN);
      assertThat(sent.title()).isEqualTo("Reminder");
      assertThat(sent.body()).isEqualTo("Your visit is tomorrow at 9:00");
      assertThat(sent.data()).containsExactlyInAnyOrderEntriesOf(
          Map.of("kind", "reminder", "messageId", "appt-42-reminder"));
      assertThat(sent.collapseKey()).isEqualTo("appt-42-reminder");
      assertThat(sent.tag()).isEqualTo("appt-42-reminder");
      assertThat(sent.apnsCollapseId()).isEqualTo("appt-42-reminder");
      assertThat(sent.authorization()).isEqualTo("Bearer offline");
      assertThat(receipt).isEqualTo(new Receipt("fcm", sent.name()));
    });
    assertThat(sender.account()).isEqualTo("fcm:caduceus-test");
    assertThat(sender.canLookUp()).isFalse();
    assertThat(fcm.tokenCalls()).isZero();
  }

  @Test
  void aKeyTooLongForApnsBecomesItsSha256() {
    String key = "k".repeat(100);
    await(sender.send(push(key, TOKEN)));

    assertThat(fcm.ledger()).singleElement().satisfies(sent -> {
      assertThat(sent.collapseKey()).isEqualTo(key);
      assertThat(sent.apnsCollapseId()).hasSize(64).matches("[0-9a-f]{64}").isEqualTo(FcmMessages.apnsCollapseId(key));
    });
  }

  @Test
  void aServerErrorIsRetryable() {
    fcm.failNext(1, 500);

    SendFailure failure = failure(sender.send(push("k-500", TOKEN)));

    assertThat(failure.kind()).isEqualTo(SendFailure.Kind.RETRYABLE);
    assertThat(failure.getMessage()).isEqualTo("fcm INTERNAL");
    assertThat(fcm.ledger()).isEmpty();
  }

  @Test
  void aQuotaRefusalIsRetryable() {
    fcm.failNext(1, 429);

    SendFailure failure = failure(sender.send(push("k-429", TOKEN)));

    assertThat(failure.kind()).isEqualTo(SendFailure.Kind.RETRYABLE);
    assertThat(failure.getMessage()).isEqualTo("fcm QUOTA_EXCEEDED");
  }

  @Test
  void anUnregisteredTokenIsAddressGoneWithoutTheTokenInTheReason() {
    fcm.unregistered(TOKEN);

    SendFailure failure = failure(sender.send(push("k-gone", TOKEN)));

    assertThat(failure.kind()).isEqualTo(SendFailure.Kind.ADDRESS_GONE);
    assertThat(failure.getMessage()).isEqualTo("fcm UNREGISTERED");
    assertThat(fcm.ledger()).isEmpty();
  }

  @Test
  void aLastingThirdPartyAuthErrorIsPermanent() {
    // The SDK takes a 401 for an expired token: it refreshes the credentials and tries again, a few times.
    fcm.failNext(10, 401);

    SendFailure failure = failure(sender.send(push("k-auth", TOKEN)));

    assertThat(failure.kind()).isEqualTo(SendFailure.Kind.PERMANENT);
    // After its refresh-and-retry rounds the SDK reports the HTTP-level code, no longer FCM's own.
    assertThat(failure.getMessage()).isEqualTo("fcm UNAUTHENTICATED");
  }

  @Test
  void anFcmThatNeverAnswersFailsRetryableAtTheTimeout() {
    await(sender.close());
    sender = sender(new FcmAccount("caduceus-slow", null), Duration.ofMillis(500));
    // The provider takes the request and never answers: only the send timeout can end the call.
    Hold hold = fcm.holdNext();

    SendFailure failure = failure(sender.send(push("k-slow", TOKEN)));

    assertThat(failure.kind()).isEqualTo(SendFailure.Kind.RETRYABLE);
    assertThat(failure.getMessage()).isEqualTo("fcm timeout");
    hold.release();
  }

  @Test
  void anUnreachableFcmIsRetryable() {
    await(fcm.close());

    SendFailure failure = failure(sender.send(push("k-down", TOKEN)));

    assertThat(failure.kind()).isEqualTo(SendFailure.Kind.RETRYABLE);
  }

  @Test
  void serviceAccountCredentialsFetchOneTokenAndSignEverySend() throws Exception {
    await(sender.close());
    sender = sender(new FcmAccount("caduceus-sa", serviceAccountJson("caduceus-sa")), Duration.ofSeconds(30));

    await(sender.send(push("k-sa-1", TOKEN)));
    await(sender.send(push("k-sa-2", TOKEN)));

    assertThat(fcm.tokenCalls()).isEqualTo(1);
    assertThat(fcm.ledger()).extracting(FakeFcm.Sent::authorization).containsOnly("Bearer fake-access-token");
  }

  private FcmSender sender(FcmAccount account, Duration timeout) {
    return new FcmSender(workers, account, new ProviderEndpoints(fcm.baseUrl(), null), timeout);
  }

  private static Outgoing push(String key, String token) {
    return new Outgoing(UUID.randomUUID(), key, Channel.PUSH, token, "Reminder", "Your visit is tomorrow at 9:00",
        Map.of("kind", "reminder"), null);
  }

  private static String serviceAccountJson(String projectId) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String key = Base64.getMimeEncoder(64, "\n".getBytes())
        .encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
    return new JsonObject()
        .put("type", "service_account")
        .put("project_id", projectId)
        .put("private_key_id", "test-key")
        .put("private_key", "-----BEGIN PRIVATE KEY-----\n" + key + "\n-----END PRIVATE KEY-----\n")
        .put("client_email", "sender@" + projectId + ".iam.gserviceaccount.com")
        .put("client_id", "1234567890")
        .put("token_uri", "https://oauth2.googleapis.com/token")
        .encode();
  }
}
