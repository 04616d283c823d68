package io.caduceus.notifications.engage;

import java.time.Duration;

/**
 * How the dispatcher works: how many messages it takes per tenant per cycle (the fairness quantum), how long a
 * claimed send is leased before another dispatcher reconciles it, how often and how patiently it retries, where
 * Twilio reports delivery (null for no receipts), and the app link templates may use.
 */
public record DispatchOptions(int perTenantBatch, Duration lease, int maxAttempts, Duration retryBase,
                              String statusCallbackBase, String appLink) {

  /** Defaults for a node: 50 per tenant per cycle, a two-minute lease, six attempts from two seconds. */
  public static DispatchOptions defaults() {
    return new DispatchOptions(50, Duration.ofMinutes(2), 6, Duration.ofSeconds(2), null, "https://app.caduceus.invalid");
  }
}
