package io.caduceus.notifications.channel;

import io.caduceus.notifications.fakes.FakeTwilio;
import io.caduceus.notifications.fakes.Hold;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.caduceus.notifications.channel.SendOutcomes.failure;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** SMS go through the real Twilio SDK to a fake Twilio; its answers become outcomes, and lost sends are found again. */
@ExtendWith(VertxExtension.class)
class TwilioSenderTest {

  private static final String SID = "AC" + "0".repeat(32);
  private static final String AUTH_TOKEN = "test-auth-token";
  private static final String FROM = "+15005550006";
  private static final String PATIENT = "+15551234567";

  private WorkerExecutor workers;
  private FakeTwilio twilio;
  private TwilioSender sender;

  @BeforeEach
  void start(Vertx vertx) {
    workers = vertx.createSharedWorkerExecutor("twilio-test", 4);
    twilio = await(FakeTwilio.start(vertx, SID, AUTH_TOKEN));
    sender = sender(new TwilioAccount(SID, AUTH_TOKEN, FROM), Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    await(sender.close());
  }

  @Test
  void sendsFromTheAccountNumberWithTheStatusCallback() {
    Receipt receipt = await(sender.send(sms("k-1", "Your visit is tomorrow at 9:00")));

    assertThat(twilio.ledger()).singleElement().satisfies(sent -> {
      assertThat(receipt).isEqualTo(new Receipt("twilio", sent.sid()));
      assertThat(sent.sid()).matches("SM[0-9a-f]{32}");
      assertThat(sent.to()).isEqualTo(PATIENT);
      assertThat(sent.from()).isEqualTo(FROM);
      assertThat(sent.messagingServiceSid()).isNull();
      assertThat(sent.body()).isEqualTo("Your visit is tomorrow at 9:00");
      assertThat(sent.statusCallback()).isEqualTo("https://caduceus.test/hooks/twilio/status?m=k-1");
    });
    assertThat(sender.account()).isEqualTo("twilio:" + SID);
    assertThat(sender.canLookUp()).isTrue();
  }

  @Test
  void aMessagingServiceSidSendsThroughTheService() {
    await(sender.close());
    String service = "MG" + "1".repeat(32);
    sender = sender(new TwilioAccount(SID, AUTH_TOKEN, service), Duration.ofSeconds(30));

    await(sender.send(sms("k-mg", "hello")));

    assertThat(twilio.ledger()).singleElement().satisfies(sent -> {
      assertThat(sent.messagingServiceSid()).isEqualTo(service);
      assertThat(sent.from()).isNull();
    });
  }

  @Test
  void aServerErrorIsRetryableAndTheSdkDoesNotResend() {
    twilio.failNext(1, 500);

    SendFailure failure = failure(sender.send(sms("k-500", "hello")));

    assertThat(failure.kind()).isEqualTo(SendFailure.Kind.RETRYABLE);
    assertThat(failure.getMessage()).isEqualTo("twilio 20500");
    // The SDK's own retry would have sent it on the second attempt; the engine owns retries.
    assertThat(twilio.ledger()).isEmpty();
  }

  @Test
  void tooManyRequestsIsRetryable() {
    twilio.failNext(1, 429);

    SendFailure failure = failure(sender.send(sms("k-429", "hello")));

    assertThat(failure.kind()).isEqualTo(SendFailure.Kind.RETRYABLE);
  }

  @Test
  void anUnsubscribedNumberIsAddressGoneWithoutTheNumberInTheReason() {
    twilio.unsubscribed(PATIENT);

    SendFailure failure = failure(sender.send(sms("k-stop", "hello")));

    assertThat(failure.kind()).isEqualTo(SendFailure.Kind.ADDRESS_GONE);
    assertThat(failure.getMessage()).isEqualTo("twilio 21610");
  }

  @Test
  void anInvalidNumberIsAddressGone() {
    twilio.errorNext(21211, 400);

    assertThat(failure(sender.send(sms("k-invalid", "hello"))).kind()).isEqualTo(SendFailure.Kind.ADDRESS_GONE);
  }

  @Test
  void wrongCredentialsArePermanent() {
    await(sender.close());
    sender = sender(new TwilioAccount(SID, "not-the-token", FROM), Duration.ofSeconds(30));

    SendFailure failure = failure(sender.send(sms("k-auth", "hello")));

    assertThat(failure.kind()).isEqualTo(SendFailure.Kind.PERMANENT);
    assertThat(failure.getMessage()).isEqualTo("twilio 20003");
  }

  @Test
  void aTwilioThatNeverAnswersFailsRetryableAtTheTimeout() {
    await(sender.close());
    sender = sender(new TwilioAccount(SID, AUTH_TOKEN, FROM), Duration.ofMillis(500));
    // The provider takes the request and never answers: only the send timeout can end the call.
    Hold hold = twilio.holdNext();

    SendFailure failure = failure(sender.send(sms("k-slow", "hello")));

    assertThat(failure.kind()).isEqualTo(SendFailure.Kind.RETRYABLE);
    assertThat(failure.getMessage()).isEqualTo("twilio timeout");
    hold.release();
  }

  @Test
  void anUnreachableTwilioIsRetryable() {
    await(twilio.close());

    SendFailure failure = failure(sender.send(sms("k-down", "hello")));

    assertThat(failure.kind()).isEqualTo(SendFailure.Kind.RETRYABLE);
    assertThat(failure.getMessage()).isEqualTo("twilio connection");
  }

  @Test
  void lookUpFindsASendWhoseAnswerNeverCame() {
    await(sender.close());
    sender = sender(new TwilioAccount(SID, AUTH_TOKEN, FROM), Duration.ofMillis(500));
    Instant before = Instant.now();
    Outgoing message = sms("k-lost", "Your results are ready");
    Hold hold = twilio.holdNext();

    assertThat(failure(sender.send(message)).kind()).isEqualTo(SendFailure.Kind.RETRYABLE);
    await(hold.arrived());
    Optional<Receipt> found = await(sender.lookUp(message, before, Set.of()));

    assertThat(found).contains(new Receipt("twilio", twilio.ledger().get(0).sid()));
    hold.release();
  }

  @Test
  void lookUpSkipsClaimedSidsAndOtherBodies() {
    Instant before = Instant.now();
    Outgoing first = sms("k-a", "Same words");
    Outgoing second = sms("k-b", "Same words");
    String claimed = await(sender.send(first)).providerMessageId();
    String unclaimed = await(sender.send(second)).providerMessageId();

    assertThat(await(sender.lookUp(second, before, Set.of(claimed)))).contains(new Receipt("twilio", unclaimed));
    assertThat(await(sender.lookUp(second, before, Set.of(claimed, unclaimed)))).isEmpty();
    assertThat(await(sender.lookUp(sms("k-c", "Other words"), before, Set.of()))).isEmpty();
  }

  @Test
  void lookUpPagesThroughTwilioLists() {
    Instant before = Instant.now();
    Outgoing oldest = sms("k-old", "The first one");
    String wanted = await(sender.send(oldest)).providerMessageId();
    for (int i = 0; i < 60; i++) {
      await(sender.send(sms("k-" + i, "Later message " + i)));
    }

    assertThat(await(sender.lookUp(oldest, before, Set.of()))).contains(new Receipt("twilio", wanted));
  }

  private TwilioSender sender(TwilioAccount account, Duration timeout) {
    return new TwilioSender(workers, account, new ProviderEndpoints(null, twilio.baseUrl()), timeout);
  }

  private static Outgoing sms(String key, String body) {
    return new Outgoing(UUID.randomUUID(), key, Channel.SMS, PATIENT, null, body, Map.of(),
        "https://caduceus.test/hooks/twilio/status?m=" + key);
  }
}
