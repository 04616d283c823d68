package io.caduceus.notifications.channel;

import io.caduceus.notifications.fakes.FakeTwilio;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** A webhook counts as Twilio's only when signed with the account's auth token over exactly this URL and form. */
@ExtendWith(VertxExtension.class)
class TwilioWebhookSignatureTest {

  private static final String SID = "AC" + "2".repeat(32);
  private static final String AUTH_TOKEN = "webhook-auth-token";

  private final TwilioWebhookSignature signature = new TwilioWebhookSignature(AUTH_TOKEN);
  private final List<Map<String, String>> accepted = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private HttpServer receiver;
  private FakeTwilio twilio;
  private String url;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    receiver = await(vertx.createHttpServer().requestHandler(this::receive).listen(0, "127.0.0.1"));
    url = "http://127.0.0.1:" + receiver.actualPort() + "/hooks/twilio/status?tenant=t1";
    twilio = await(FakeTwilio.start(vertx, SID, AUTH_TOKEN));
  }

  @AfterEach
  void stop() {
    await(twilio.close());
  }

  @Test
  void aStatusCallbackForAnSdkSendIsAccepted() {
    Senders senders = new Senders(vertx, vertx.createSharedWorkerExecutor("webhook-test", 2),
        new ProviderEndpoints(null, twilio.baseUrl()), Duration.ofSeconds(30));
    Sender sms = senders.sms(new TwilioAccount(SID, AUTH_TOKEN, "+15005550006"));
    Receipt receipt = await(sms.send(new Outgoing(UUID.randomUUID(), "k-cb", Channel.SMS, "+15551230000", null,
        "hello", Map.of(), url)));

    int status = await(twilio.reportStatus(twilio.ledger().get(0), "delivered"));

    assertThat(status).isEqualTo(204);
    assertThat(accepted).singleElement().satisfies(params -> {
      assertThat(params).containsEntry("MessageSid", receipt.providerMessageId());
      assertThat(params).containsEntry("MessageStatus", "delivered");
    });
    await(senders.close());
  }

  @Test
  void aCallbackSignedWithAnotherTokenIsRejected() {
    FakeTwilio impostor = await(FakeTwilio.start(vertx, SID, "someone-elses-token"));

    int status = await(impostor.postSigned(url, Map.of("MessageSid", "SM1", "MessageStatus", "delivered")));

    assertThat(status).isEqualTo(403);
    assertThat(accepted).isEmpty();
    await(impostor.close());
  }

  @Test
  void aTamperedParameterUrlOrMissingSignatureIsRejected() {
    Map<String, String> params = Map.of("MessageSid", "SM1", "MessageStatus", "delivered", "To", "+15551230000");
    String signed = FakeTwilio.signature(AUTH_TOKEN, url, params);
    Map<String, String> tampered = new HashMap<>(params);
    tampered.put("MessageStatus", "failed");

    assertThat(signature.valid(url, params, signed)).isTrue();
    assertThat(signature.valid(url, tampered, signed)).isFalse();
    assertThat(signature.valid(url.replace("t1", "t2"), params, signed)).isFalse();
    assertThat(signature.valid(url, params, null)).isFalse();
    assertThat(signature.valid(url, params, "")).isFalse();
  }

  /** Reads the raw form body (no multipart decoder, whose set-up races a body that arrived with the headers). */
  private void receive(HttpServerRequest request) {
    request.body().onFailure(e -> request.response().setStatusCode(400).end()).onSuccess(body -> {
      Map<String, String> params = new HashMap<>();
      new QueryStringDecoder(body.toString(), false).parameters().forEach((k, v) -> params.put(k, v.get(0)));
      if (signature.valid(url, params, request.getHeader(TwilioWebhookSignature.HEADER))) {
        accepted.add(params);
        request.response().setStatusCode(204).end();
      } else {
        request.response().setStatusCode(403).end();
      }
    });
  }
}
