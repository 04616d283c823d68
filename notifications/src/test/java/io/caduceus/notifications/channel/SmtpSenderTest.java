package io.caduceus.notifications.channel;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.caduceus.notifications.fakes.RejectingSmtp;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.notifications.channel.SendOutcomes.failure;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Email goes through the Vert.x mail client to a real SMTP server, with the idempotency key as its Message-ID. */
@ExtendWith(VertxExtension.class)
class SmtpSenderTest {

  @RegisterExtension
  static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private static final String PATIENT = "patient@example.test";

  private Vertx vertx;
  private SmtpSender sender;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    sender = sender(GREEN_MAIL.getSmtp().getPort());
  }

  @AfterEach
  void stop() {
    await(sender.close());
  }

  @Test
  void deliversWithTheKeyAsMessageId() throws Exception {
    Receipt receipt = await(sender.send(email("appt-42-reminder")));

    assertThat(GREEN_MAIL.waitForIncomingEmail(5_000, 1)).isTrue();
    MimeMessage received = GREEN_MAIL.getReceivedMessages()[0];
    assertThat(received.getHeader("Message-ID")).containsExactly("<appt-42-reminder@caduceus>");
    assertThat(received.getSubject()).isEqualTo("Your visit");
    assertThat(GreenMailUtil.getBody(received)).contains("Tomorrow at 9:00");
    assertThat(received.getFrom()[0].toString()).isEqualTo("clinic@caduceus.test");
    assertThat(received.getAllRecipients()[0].toString()).isEqualTo(PATIENT);
    assertThat(receipt).isEqualTo(new Receipt("smtp", "<appt-42-reminder@caduceus>"));
    assertThat(sender.account()).isEqualTo("smtp:127.0.0.1");
  }

  @Test
  void aResendCarriesTheSameMessageId() throws Exception {
    await(sender.send(email("k-twice")));
    await(sender.send(email("k-twice")));

    assertThat(GREEN_MAIL.waitForIncomingEmail(5_000, 2)).isTrue();
    assertThat(GREEN_MAIL.getReceivedMessages()).extracting(m -> m.getHeader("Message-ID")[0])
        .containsExactly("<k-twice@caduceus>", "<k-twice@caduceus>");
  }

  @Test
  void aMailboxThatDoesNotExistIsAddressGoneWithoutTheAddressInTheReason() {
    SendFailure failure = failureFromRelay("550 5.1.1 <" + PATIENT + ">: Recipient address rejected");

    assertThat(failure.kind()).isEqualTo(SendFailure.Kind.ADDRESS_GONE);
    assertThat(failure.getMessage()).isEqualTo("smtp 550");
  }

  @Test
  void anotherPermanentRefusalIsPermanent() {
    SendFailure failure = failureFromRelay("554 5.7.1 Relay access denied");

    assertThat(failure.kind()).isEqualTo(SendFailure.Kind.PERMANENT);
    assertThat(failure.getMessage()).isEqualTo("smtp 554");
  }

  @Test
  void aTemporaryRefusalIsRetryable() {
    SendFailure failure = failureFromRelay("451 4.3.0 Try again later");

    assertThat(failure.kind()).isEqualTo(SendFailure.Kind.RETRYABLE);
    assertThat(failure.getMessage()).isEqualTo("smtp 451");
  }

  @Test
  void anUnreachableRelayIsRetryable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    await(sender.close());
    sender = sender(closedPort);

    SendFailure failure = failure(sender.send(email("k-down")));

    assertThat(failure.kind()).isEqualTo(SendFailure.Kind.RETRYABLE);
    assertThat(failure.getMessage()).isEqualTo("smtp connection");
  }

  @Test
  void distinctKeysGiveDistinctValidMessageIds() {
    assertThat(SmtpSender.messageId("a b")).isEqualTo("<a=20b@caduceus>");
    assertThat(SmtpSender.messageId("a=20b")).isEqualTo("<a=3D20b@caduceus>");
    assertThat(SmtpSender.messageId("x@y>\r\nBcc: z")).matches("<[A-Za-z0-9_=-]+@caduceus>");
  }

  private SendFailure failureFromRelay(String rcptReply) {
    RejectingSmtp relay = await(RejectingSmtp.start(vertx, rcptReply));
    SmtpSender refused = sender(relay.port());
    SendFailure failure = failure(refused.send(email("k-refused")));
    await(refused.close());
    await(relay.close());
    return failure;
  }

  private SmtpSender sender(int port) {
    return new SmtpSender(vertx, new SmtpAccount("127.0.0.1", port, null, null, "clinic@caduceus.test", false),
        Duration.ofSeconds(30));
  }

  private static Outgoing email(String key) {
    return new Outgoing(UUID.randomUUID(), key, Channel.EMAIL, PATIENT, "Your visit", "Tomorrow at 9:00", Map.of(),
        null);
  }
}
