package io.caduceus.notifications.channel;

import io.vertx.core.Future;
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

  /** Runs a blocking SDK call on the worker pool, never on the caller's event loop. */
  <T> Future<T> onWorker(WorkerExecutor workers, Callable<T> call) {
    return bounded(workers.executeBlocking(call, false));
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
