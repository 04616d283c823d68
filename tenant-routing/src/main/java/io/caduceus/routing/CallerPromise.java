package io.caduceus.routing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * A promise that resumes its creator on the creator's own context, whichever thread completes it.
 *
 * <p>In Vert.x 5 a {@code Promise.promise()} belongs to no context: its listeners run on the thread that completes
 * it. A caller parked on a promise that another request, timer or batch completes (a queue, a group commit, a shared
 * read) would otherwise go on on that other event loop, racing the requests that loop owns. Every such hand-off
 * goes through this class.
 */
public final class CallerPromise<T> {

  private final Context caller;
  private final Promise<T> promise = Promise.promise();

  private CallerPromise(Context caller) {
    this.caller = caller;
  }

  /** A promise for the calling context (one is created for a thread outside Vert.x). */
  public static <T> CallerPromise<T> ofCaller(Vertx vertx) {
    return new CallerPromise<>(vertx.getOrCreateContext());
  }

  /**
   * {@code shared} as seen by the calling context: a future that other callers, on other event loops, may also be
   * waiting on resumes each of them on its own. Outside any context it is {@code shared} itself.
   */
  public static <T> Future<T> follow(Future<T> shared) {
    Context current = Vertx.currentContext();
    if (current == null) {
      return shared;
    }
    CallerPromise<T> followed = new CallerPromise<>(current);
    shared.onComplete(done -> {
      if (done.succeeded()) {
        followed.succeed(done.result());
      } else {
        followed.fail(done.cause());
      }
    });
    return followed.future();
  }

  /** Completes the promise with {@code value}, on the caller's context; a completed promise stays as it is. */
  public void succeed(T value) {
    caller.runOnContext(v -> promise.tryComplete(value));
  }

  /** Fails the promise with {@code cause}, on the caller's context; a completed promise stays as it is. */
  public void fail(Throwable cause) {
    caller.runOnContext(v -> promise.tryFail(cause));
  }

  /** The caller's side. */
  public Future<T> future() {
    return promise.future();
  }
}
