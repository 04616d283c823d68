package io.caduceus.notifications.channel;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds one sender per provider account and keeps it, so SDK clients, FirebaseApps and connection pools live as
 * long as the engine rather than one send.
 */
public final class Senders {

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final ProviderEndpoints endpoints;
  private final Duration timeout;
  private final Map<FcmAccount, FcmSender> push = new ConcurrentHashMap<>();
  private final Map<TwilioAccount, TwilioSender> sms = new ConcurrentHashMap<>();
  private final Map<SmtpAccount, SmtpSender> email = new ConcurrentHashMap<>();

  /** Senders whose blocking SDK calls run on {@code workers}, each send bounded by {@code timeout}. */
  public Senders(Vertx vertx, WorkerExecutor workers, ProviderEndpoints endpoints, Duration timeout) {
    this.vertx = vertx;
    this.workers = workers;
    this.endpoints = endpoints;
    this.timeout = timeout;
  }

  /** The push sender of a Firebase project. */
  public Sender push(FcmAccount account) {
    return push.computeIfAbsent(account, a -> new FcmSender(workers, a, endpoints, timeout));
  }

  /** The SMS sender of a Twilio account. */
  public Sender sms(TwilioAccount account) {
    return sms.computeIfAbsent(account, a -> new TwilioSender(workers, a, endpoints, timeout));
  }

  /** The email sender of an SMTP relay. */
  public Sender email(SmtpAccount account) {
    return email.computeIfAbsent(account, a -> new SmtpSender(vertx, a, timeout));
  }

  /** Closes every sender built so far; the worker pool stays open, since it belongs to the caller. */
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    push.values().forEach(sender -> closing.add(sender.close()));
    sms.values().forEach(sender -> closing.add(sender.close()));
    email.values().forEach(sender -> closing.add(sender.close()));
    push.clear();
    sms.clear();
    email.clear();
    return Future.join(closing).mapEmpty();
  }
}
