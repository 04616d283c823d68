package io.caduceus.notifications.channel;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

/**
 * SMS through one Twilio account with the Twilio SDK. The SDK call blocks, so it runs on the worker pool. Twilio
 * lists sent messages, so a send lost in a crash can be found again by number, body and time.
 */
public final class TwilioSender implements Sender {

  /** Twilio's clock and ours differ; the look-up window starts this much earlier. */
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
  private static final int PAGE_SIZE = 50;
  private static final int LOOK_UP_LIMIT = 200;

  private final TwilioAccount account;
  private final WorkerExecutor workers;
  private final ProviderCall call;
  private final TwilioHttpClient http;
  private final TwilioRestClient client;

  /** A sender with its own REST client and connection pool; {@code timeout} bounds each call. */
  public TwilioSender(WorkerExecutor workers, TwilioAccount account, ProviderEndpoints endpoints, Duration timeout) {
    this.account = account;
    this.workers = workers;
    this.call = new ProviderCall("twilio", timeout, TwilioFailures::classify);
    this.http = new TwilioHttpClient(endpoints.twilioBaseUrl(), call);
    this.client = new TwilioRestClient.Builder(account.accountSid(), account.authToken()).httpClient(http).build();
  }

  @Override
  public String account() {
    return "twilio:" + account.accountSid();
  }

  @Override
  public Future<Receipt> send(Outgoing message) {
    return call.onWorker(workers, () -> new Receipt("twilio", creator(message).create(client).getSid()));
  }

  @Override
  public Future<Optional<Receipt>> lookUp(Outgoing message, Instant since, Set<String> claimed) {
    return call.onWorker(workers, () -> find(message, since, claimed));
  }

  @Override
  public boolean canLookUp() {
    return true;
  }

  /** Closes the connection pool; the sender is unusable afterwards. */
  public Future<Void> close() {
    return http.close();
  }

  private MessageCreator creator(Outgoing message) {
    PhoneNumber to = new PhoneNumber(message.address());
    // A messaging service picks the sender number itself; its SID starts with MG, a phone number with +.
    MessageCreator creator = account.from().startsWith("MG")
        ? Message.creator(to, account.from(), message.body())
        : Message.creator(to, new PhoneNumber(account.from()), message.body());
    if (message.statusCallback() != null) {
      creator.setStatusCallback(URI.create(message.statusCallback()));
    }
    return creator;
  }

  private Optional<Receipt> find(Outgoing message, Instant since, Set<String> claimed) {
    var sent = Message.reader()
        .setTo(new PhoneNumber(message.address()))
        .setDateSentAfter(since.minus(CLOCK_SKEW).atZone(ZoneOffset.UTC))
        .pageSize(PAGE_SIZE)
        .limit(LOOK_UP_LIMIT)
        .read(client);
    // Newest first; the iteration fetches further pages only while nothing matches.
    for (Message candidate : sent) {
      if (message.body().equals(candidate.getBody()) && !claimed.contains(candidate.getSid())) {
        return Optional.of(new Receipt("twilio", candidate.getSid()));
      }
    }
    return Optional.empty();
  }
}
