package io.caduceus.notifications.outbox;

import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;

/**
 * Delivers one outbox message. It may be called more than once for the same message (after a crash between
 * delivering and recording), so it must recognise a message it has already applied. Failing with
 * {@link PermanentFailure} sends the message to the dead state at once; any other failure is retried.
 */
@FunctionalInterface
public interface RelayHandler {

  /** Delivers {@code message}, written by the tenant of {@code sender}. */
  Future<Void> deliver(TenantContext sender, OutboxRecord message);
}
