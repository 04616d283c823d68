package io.caduceus.api.live;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * How many pushes of changes run at once on this node, across its event loops. A change in a busy waiting room
 * means one read per watching socket; run all at once, a thousand reads of one tenant would overflow its database
 * bulkhead (answering 503 instead of the new state). Queued pushes start in arrival order as others finish.
 */
final class FanOutLimit {

  private final int max;
  private final AtomicInteger running = new AtomicInteger();
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

  FanOutLimit(int max) {
    this.max = max;
  }

  /** Runs {@code work} on {@code context} once a slot is free; completes with it. */
  <T> Future<T> run(Context context, Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    waiting.add(() -> context.runOnContext(v -> {
      Future<T> started;
      try {
        started = work.get();
      } catch (RuntimeException e) {
        started = Future.failedFuture(e);
      }
      started.onComplete(result -> {
        running.decrementAndGet();
        drain();
        done.handle(result);
      });
    }));
    drain();
    return done.future();
  }

  private void drain() {
    while (!waiting.isEmpty()) {
      int now = running.get();
      if (now >= max) {
        return;
      }
      if (!running.compareAndSet(now, now + 1)) {
        continue;
      }
      Runnable next = waiting.poll();
      if (next == null) {
        running.decrementAndGet();
      } else {
        next.run();
      }
    }
  }
}
