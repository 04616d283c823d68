package io.caduceus.notifications.engage;

import io.caduceus.routing.quota.Gcra;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Provider rate limits per account, shared by every node through Redis ({@link Gcra}): Twilio's per-number
 * sending rate, FCM's per-project quota, an SMTP relay's limit. If Redis cannot answer, sends go ahead and the
 * provider's own 429 answers (retried with backoff) are the limit: delivery does not stop because Redis did.
 */
public final class ProviderLimits {

  private static final Logger LOG = LoggerFactory.getLogger(ProviderLimits.class);

  private final Gcra gcra;
  private final String prefix;
  private final Map<String, Double> perSecondByProvider;
  private final AtomicLong lastWarning = new AtomicLong();

  /** {@code perSecondByProvider} maps "twilio", "fcm", "smtp" to messages per second per account. */
  public ProviderLimits(Gcra gcra, String prefix, Map<String, Double> perSecondByProvider) {
    this.gcra = gcra;
    this.prefix = prefix;
    this.perSecondByProvider = Map.copyOf(perSecondByProvider);
  }

  /** Milliseconds to wait before sending through {@code account} ("twilio:AC…"); 0 to send now. */
  public Future<Long> waitFor(String account) {
    String provider = account.contains(":") ? account.substring(0, account.indexOf(':')) : account;
    Double perSecond = perSecondByProvider.get(provider);
    if (perSecond == null) {
      return Future.succeededFuture(0L);
    }
    int burst = (int) Math.max(1, Math.ceil(perSecond));
    return gcra.take(prefix + "provider-rate:" + account, perSecond, burst, 1)
        .map(v -> v.allowed() ? 0L : Math.max(1L, v.retryAfterMs()))
        .recover(e -> {
          long now = System.currentTimeMillis();
          long last = lastWarning.get();
          // Once per ten seconds, not once per message: an outage must not flood the log.
          if (now - last > 10_000 && lastWarning.compareAndSet(last, now)) {
            LOG.warn("provider rate limit unavailable, sending without it: {}", e.getClass().getSimpleName());
          }
          return Future.succeededFuture(0L);
        });
  }
}
