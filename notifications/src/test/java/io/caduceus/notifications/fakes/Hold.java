package io.caduceus.notifications.fakes;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * A send the fake provider accepted and recorded but does not answer until released: the provider has the message,
 * the client never hears back, as when a process dies between sending and recording.
 */
public final class Hold {

  private final Promise<Void> arrived = Promise.promise();
  private final Promise<Void> released = Promise.promise();

  /** Completes once the held request reached the fake and is in its ledger. */
  public Future<Void> arrived() {
    return arrived.future();
  }

  /** Lets the fake answer the held request (if the client is still there to hear it). */
  public void release() {
    released.tryComplete();
  }

  void arrive() {
    arrived.tryComplete();
  }

  Future<Void> released() {
    return released.future();
  }
}
