package io.caduceus.notifications.engage;

import io.caduceus.routing.RareWarning;
import io.caduceus.routing.quota.Gcra;
import io.vertx.core.Future;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Provider rate limits per account, shared by every node through Redis ({@link Gcra}): Twilio's per-number
 * sending rate, FCM's per-project quota, an SMTP relay's limit. If Redis cannot answer, sends go ahead and the
 * provider's own 429 answers (retried with backoff) are the limit: delivery does not stop because Redis did.
 */
public final class ProviderLimits {

  private static final RareWarning UNAVAILABLE = new RareWarning(LoggerFactory.getLogger(ProviderLimits.class),
      10_000);

  private final Gcra gcra;
  private final String prefix;
  private final Map<String, Double> perSecondByProvider;

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
          UNAVAILABLE.warn("provider rate limit unavailable, sending without it: {}", e.getClass().getSimpleName());
          return Future.succeededFuture(0L);
        });
  }
}
