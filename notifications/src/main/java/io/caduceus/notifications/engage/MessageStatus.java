package io.caduceus.notifications.engage;

import java.util.Locale;

/**
 * Where a message is. {@code queued} waits for its time (perhaps deferred by quiet hours or the cap);
 * {@code sending} is written before the provider is called, so a crash leaves a trace to reconcile;
 * {@code dead} has exhausted its retries and may be requeued by the tenant.
 */
public enum MessageStatus {
  QUEUED, SENDING, SENT, DELIVERED, UNDELIVERED, FAILED, DEAD, SUPPRESSED, EXPIRED, CANCELLED;

  /** The name in the API and the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; unknown names fail with {@link IllegalArgumentException}. */
  public static MessageStatus fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
