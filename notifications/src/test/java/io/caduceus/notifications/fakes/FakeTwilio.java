package io.caduceus.notifications.fakes;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio's Messages API on 127.0.0.1 for tests, for one account: creates messages ({@code POST .../Messages.json})
 * and lists them by To and DateSent ({@code GET}), keeps a ledger of every message it accepted, fails, delays or holds
 * sends on request, and posts signed webhooks (status callbacks, inbound SMS) the way Twilio signs them.
 */
public final class FakeTwilio extends FakeProvider<FakeTwilio.Sent> {

  /** One message Twilio accepted. {@code from} is null when it went through a messaging service. */
  public record Sent(String sid, String to, String from, String messagingServiceSid, String body,
                     String statusCallback, Instant receivedAt) {
  }

  private static final Pattern MESSAGES = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages\\.json");

  private final String accountSid;
  private final String authToken;
  private final Set<String> unsubscribed = ConcurrentHashMap.newKeySet();
  private final HttpClientAgent webhooks;

  private FakeTwilio(Vertx vertx, String accountSid, String authToken) {
    super(vertx);
    this.accountSid = accountSid;
    this.authToken = authToken;
    this.webhooks = vertx.createHttpClient();
  }

  /** Starts a fake for the account on a free port of 127.0.0.1; calls with other credentials get Twilio's 401. */
  public static Future<FakeTwilio> start(Vertx vertx, String accountSid, String authToken) {
    return listen(new FakeTwilio(vertx, accountSid, authToken));
  }

  /** Refuses the next {@code n} sends with {@code status} (5xx, 429) and Twilio's error body for it. */
  public void failNext(int n, int status) {
    faults.failNext(n, status, status == 429 ? 20429 : 20500);
  }

  /** Refuses the next send with a Twilio error {@code code} (21211, 20003, ...) and HTTP {@code status}. */
  public void errorNext(int code, int status) {
    faults.failNext(1, status, code);
  }

  /** Answers every send to {@code number} with error 21610, as after the patient texted STOP. */
  public void unsubscribed(String number) {
    unsubscribed.add(number);
  }

  /** Posts a form to {@code url} signed with the account's auth token, as Twilio posts webhooks; the reply status. */
  public Future<Integer> postSigned(String url, Map<String, String> params) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .putHeader("Content-Type", "application/x-www-form-urlencoded")
        .putHeader("X-Twilio-Signature", signature(authToken, url, params));
    return webhooks.request(options)
        .compose(request -> request.send(TwilioJson.form(params)))
        .compose(response -> response.body().map(body -> response.statusCode()));
  }

  /** Posts the status callback Twilio sends when {@code sent} reaches {@code status} ("delivered", "undelivered"). */
  public Future<Integer> reportStatus(Sent sent, String status) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("AccountSid", accountSid);
    params.put("ApiVersion", "2010-04-01");
    params.put("From", sent.from() == null ? "+15005550006" : sent.from());
    params.put("MessageSid", sent.sid());
    params.put("MessageStatus", status);
    params.put("SmsSid", sent.sid());
    params.put("SmsStatus", status);
    params.put("To", sent.to());
    return postSigned(sent.statusCallback(), params);
  }

  /** Twilio's webhook signature: base64 HMAC-SHA1 of the URL followed by each parameter's name and value, sorted. */
  public static String signature(String authToken, String url, Map<String, String> params) {
    StringBuilder signed = new StringBuilder(url);
    new TreeMap<>(params).forEach((name, value) -> signed.append(name).append(value));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(signed.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA1", e);
    }
  }

  /** Stops the webhook client and the server, dropping held requests. */
  @Override
  public Future<Void> close() {
    return webhooks.close().compose(v -> super.close());
  }

  @Override
  void handle(HttpServerRequest request) {
    request.setExpectMultipart(request.method() == HttpMethod.POST);
    request.end().onSuccess(v -> {
      Matcher path = MESSAGES.matcher(request.path());
      if (!authorized(request)) {
        TwilioJson.error(request, 401, 20003, "Authenticate");
      } else if (!path.matches() || !path.group(1).equals(accountSid)) {
        TwilioJson.error(request, 404, 20404, "The requested resource was not found");
      } else if (request.method() == HttpMethod.POST) {
        create(request, request.formAttributes());
      } else if (request.method() == HttpMethod.GET) {
        TwilioJson.reply(request, 200, TwilioJson.page(accountSid, ledger, request.params()));
      } else {
        TwilioJson.error(request, 405, 20004, "Method not allowed");
      }
    });
  }

  private boolean authorized(HttpServerRequest request) {
    String expected = "Basic " + Base64.getEncoder()
        .encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
    return expected.equals(request.getHeader("Authorization"));
  }

  private void create(HttpServerRequest request, MultiMap form) {
    if (form.get("To") == null) {
      TwilioJson.error(request, 400, 21604, "A 'To' phone number is required.");
    } else if (form.get("From") == null && form.get("MessagingServiceSid") == null) {
      TwilioJson.error(request, 400, 21603, "A 'From' phone number is required.");
    } else if (form.get("Body") == null) {
      TwilioJson.error(request, 400, 21602, "Message body is required.");
    } else if (unsubscribed.contains(form.get("To"))) {
      TwilioJson.error(request, 400, 21610, "Attempt to send to unsubscribed recipient");
    } else {
      planned(fail -> TwilioJson.error(request, fail.status(), fail.code(), "Injected failure " + fail.code()),
          hold -> accept(request, form, hold));
    }
  }

  private void accept(HttpServerRequest request, MultiMap form, Hold hold) {
    Sent sent = new Sent(TwilioJson.newSid(), form.get("To"), form.get("From"), form.get("MessagingServiceSid"),
        form.get("Body"), form.get("StatusCallback"), Instant.now());
    JsonObject answer = TwilioJson.message(accountSid, sent);
    record(sent, hold, () -> TwilioJson.reply(request, 201, answer));
  }
}
