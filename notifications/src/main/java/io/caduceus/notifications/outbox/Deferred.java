package io.caduceus.notifications.outbox;

/**
 * Not a failure: the message cannot be delivered yet and must wait, however long, without spending an attempt (the
 * receiving tenant has the message's module switched off). It is offered again after {@link #delayMs}; messages
 * queued behind it on its ordering key wait with it.
 */
public final class Deferred extends RuntimeException {

  private final long delayMs;

  public Deferred(String reason, long delayMs) {
    super(reason, null, false, false);
    this.delayMs = delayMs;
  }

  /** How long until the message is offered again. */
  public long delayMs() {
    return delayMs;
  }
}
