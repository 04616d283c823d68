package io.caduceus.notifications.channel;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Sends over one channel through one provider account. Implementations never block the calling event loop: the
 * blocking SDKs (Firebase, Twilio) run on a worker pool with timeouts. A failed future carries a
 * {@link SendFailure}, or any other exception, which counts as retryable.
 */
public interface Sender {

  /** The provider and account, as a rate-limit key and for the message history ("twilio:AC123"). */
  String account();

  /** Sends one message. */
  Future<Receipt> send(Outgoing message);

  /**
   * After a crash between sending and recording, looks for the provider's own record of {@code message} sent
   * since {@code since}, ignoring provider ids already claimed by other messages. Empty means "not sent, or this
   * provider cannot tell"; see {@link #canLookUp()}.
   */
  default Future<Optional<Receipt>> lookUp(Outgoing message, Instant since, Set<String> claimed) {
    return Future.succeededFuture(Optional.empty());
  }

  /** Whether {@link #lookUp} can find a sent message, so that an unfound one is safe to send again. */
  default boolean canLookUp() {
    return false;
  }
}
