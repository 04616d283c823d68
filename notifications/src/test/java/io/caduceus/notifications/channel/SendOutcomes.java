package io.caduceus.notifications.channel;

import io.caduceus.routing.testing.Await;
import io.vertx.core.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** What a sender's refusal looks like to a test: the {@link SendFailure} its future ends in. */
final class SendOutcomes {

  private SendOutcomes() {
  }

  /** The send failure; fails the test if the future succeeded or failed otherwise. */
  static SendFailure failure(Future<?> future) {
    Throwable error = Await.failure(future);
    assertThat(error).isInstanceOf(SendFailure.class);
    return (SendFailure) error;
  }
}
