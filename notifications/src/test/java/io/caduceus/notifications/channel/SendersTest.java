package io.caduceus.notifications.channel;

import com.google.firebase.FirebaseApp;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** One sender per account, kept until close, which releases what the senders hold. */
@ExtendWith(VertxExtension.class)
class SendersTest {

  private Senders senders;

  @BeforeEach
  void start(Vertx vertx) {
    senders = new Senders(vertx, vertx.createSharedWorkerExecutor("senders-test", 2),
        new ProviderEndpoints("http://127.0.0.1:9", "http://127.0.0.1:9"), Duration.ofSeconds(2));
  }

  @Test
  void anAccountKeepsItsSenderAndAnotherAccountGetsItsOwn() {
    TwilioAccount twilio = new TwilioAccount("AC1", "token", "+15005550006");
    SmtpAccount smtp = new SmtpAccount("relay.test", 587, null, null, "clinic@caduceus.test", true);
    FcmAccount fcm = new FcmAccount("senders-test-a", null);

    assertThat(senders.sms(twilio)).isSameAs(senders.sms(new TwilioAccount("AC1", "token", "+15005550006")))
        .isNotSameAs(senders.sms(new TwilioAccount("AC2", "token", "+15005550006")));
    assertThat(senders.email(smtp)).isSameAs(senders.email(smtp));
    assertThat(senders.push(fcm)).isSameAs(senders.push(new FcmAccount("senders-test-a", null)))
        .isNotSameAs(senders.push(new FcmAccount("senders-test-b", null)));
    assertThat(senders.sms(twilio).account()).isEqualTo("twilio:AC1");
    assertThat(senders.email(smtp).account()).isEqualTo("smtp:relay.test");
    assertThat(senders.push(fcm).account()).isEqualTo("fcm:senders-test-a");
    await(senders.close());
  }

  @Test
  void aFirebaseAppIsMadeOncePerAccountAndDeletedOnClose() {
    long before = apps("caduceus-fcm-senders-test-c-");
    senders.push(new FcmAccount("senders-test-c", null));
    senders.push(new FcmAccount("senders-test-c", null));

    assertThat(apps("caduceus-fcm-senders-test-c-")).isEqualTo(before + 1);
    await(senders.close());
    assertThat(apps("caduceus-fcm-senders-test-c-")).isEqualTo(before);
  }

  private static long apps(String prefix) {
    return FirebaseApp.getApps().stream().filter(app -> app.getName().startsWith(prefix)).count();
  }
}
