package io.caduceus.notifications.channel;

import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Waits, from the test thread, for what a sender's future ends in. */
final class SendOutcomes {

  private static final long WAIT_SECONDS = 60;

  private SendOutcomes() {
  }

  /** The result; fails the test if the future failed. */
  static <T> T result(Future<T> future) {
    try {
      return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("expected success, got " + e, e);
    }
  }

  /** The send failure; fails the test if the future succeeded or failed otherwise. */
  static SendFailure failure(Future<?> future) {
    Throwable error = catchThrowable(() -> future.await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertThat(error).isInstanceOf(SendFailure.class);
    return (SendFailure) error;
  }
}
