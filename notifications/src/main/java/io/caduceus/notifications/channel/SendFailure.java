package io.caduceus.notifications.channel;

/**
 * A provider refused or failed a send. Its message is PHI-free: a provider's error code, never the address or
 * the content.
 */
public final class SendFailure extends RuntimeException {

  /** What the engine does next. */
  public enum Kind {
    /** Try again later with backoff: 5xx, 429, timeouts, connection failures. */
    RETRYABLE,
    /** This address will never work on this channel (unregistered FCM token, unsubscribed number): try the next. */
    ADDRESS_GONE,
    /** The request itself is wrong (bad credentials, invalid sender): fail the message. */
    PERMANENT
  }

  private final Kind kind;

  public SendFailure(Kind kind, String reason) {
    super(reason, null, false, false);
    this.kind = kind;
  }

  /** How the engine treats the failure. */
  public Kind kind() {
    return kind;
  }
}
