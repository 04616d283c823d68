package io.caduceus.api.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for something asynchronous (a cross-tenant delivery) to become true. It polls and gives up after the
 * timeout with the last observed value; it does not measure speed.
 */
public final class Eventually {

  private Eventually() {
  }

  /** Polls {@code probe} until {@code done} accepts its value, failing after {@code timeout}. */
  public static <T> T until(Supplier<T> probe, Predicate<T> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still not there after " + timeout + ": " + last);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      last = probe.get();
    }
    return last;
  }

  /**
   * Polls {@code probe} for up to a minute: a deadline, not an expectation. On a loaded two-core machine background
   * work can take many times what it takes on an idle one, and the deadline only bounds how long a real failure
   * takes to report.
   */
  public static <T> T until(Supplier<T> probe, Predicate<T> done) {
    return until(probe, done, Duration.ofSeconds(60));
  }
}
