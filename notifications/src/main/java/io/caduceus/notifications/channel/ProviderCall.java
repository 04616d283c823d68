package io.caduceus.notifications.channel;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One provider call bounded by the send timeout, whose every failure becomes a PHI-free {@link SendFailure}. A call
 * that outlives the timeout keeps its worker thread until the SDK's own read timeout, a second longer, ends it.
 */
record ProviderCall(String provider, Duration timeout, Function<Throwable, SendFailure> classify) {

  /**
   * Runs a blocking SDK call on the worker pool, never on the caller's event loop. The timeout starts when a worker
   * starts the call, not when it is queued: a send that waited for a free worker has not reached the provider, and
   * timing it out would only make an ambiguous retry of a message that was never sent.
   */
  <T> Future<T> onWorker(WorkerExecutor workers, Callable<T> call) {
    Promise<Void> started = Promise.promise();
    Future<T> result = workers.executeBlocking(() -> {
      started.tryComplete();
      return call.call();
    }, false);
    return started.future().compose(v -> bounded(result)).recover(error -> Future.failedFuture(failure(error)));
  }

  /** Bounds a non-blocking call. */
  <T> Future<T> bounded(Future<T> call) {
    return call.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).recover(error -> Future.failedFuture(failure(error)));
  }

  private SendFailure failure(Throwable error) {
    if (error instanceof SendFailure failure) {
      return failure;
    }
    if (error instanceof TimeoutException) {
      return new SendFailure(SendFailure.Kind.RETRYABLE, provider + " timeout");
    }
    return classify.apply(error);
  }

  /** The SDK's connect timeout: short, so an unreachable host fails well within the send timeout. */
  int connectMillis() {
    return (int) Math.min(timeout.toMillis(), 5_000);
  }

  /**
   * The SDK's read timeout: a second past the send timeout, so the send timeout always fires first and an abandoned
   * call frees its worker thread soon after.
   */
  int readMillis() {
    return (int) Math.min(timeout.toMillis() + 1_000, Integer.MAX_VALUE);
  }
}
