package io.caduceus.routing.testing;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How a test thread waits for asynchronous work: for one future's outcome, or for a condition to come true.
 *
 * <p>Every wait has a deadline, not an expectation: on a loaded two-core machine background work can take many
 * times what it takes on an idle one, and the deadline only bounds how long a real failure takes to report. A test
 * that measures speed measures it itself.
 */
public final class Await {

  /** How long a wait lasts unless the caller names another deadline. */
  public static final Duration PATIENCE = Duration.ofSeconds(60);

  private static final long POLL_MILLIS = 50;

  private Await() {
  }

  /**
   * The future's result. A failed future throws an {@link IllegalStateException} whose cause is the failure; one that
   * does not complete within {@link #PATIENCE} fails the test.
   */
  public static <T> T await(Future<T> future) {
    return await(future, PATIENCE);
  }

  /** The future's result, as {@link #await(Future)} but with a longer deadline (a whole node starting, say). */
  public static <T> T await(Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the awaited future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("the awaited future had no outcome after " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The future's failure; fails the test if it succeeded instead. */
  public static Throwable failure(Future<?> future) {
    Throwable cause = await(future.transform(done -> Future.succeededFuture(done.cause())));
    if (cause == null) {
      throw new AssertionError("expected a failure, the future succeeded with " + future.result());
    }
    return cause;
  }

  /** Polls {@code probe} until {@code done} accepts its value, for up to {@link #PATIENCE}. */
  public static <T> T until(Supplier<T> probe, Predicate<T> done) {
    return until(probe, done, PATIENCE);
  }

  /** Polls {@code probe} until {@code done} accepts its value, failing after {@code timeout} with the last value. */
  public static <T> T until(Supplier<T> probe, Predicate<T> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still not there after " + timeout + ": " + last);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      last = probe.get();
    }
    return last;
  }
}
