package io.caduceus.routing.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import static io.caduceus.routing.testing.Await.await;

/**
 * Event-loop contexts for tests of which thread a continuation runs on: each is a deployed verticle's, as each API
 * verticle instance has its own.
 */
public final class EventLoops {

  private EventLoops() {
  }

  /** A fresh event-loop context of {@code vertx}. */
  public static Context context(Vertx vertx) throws Exception {
    AtomicReference<Context> deployed = new AtomicReference<>();
    await(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        deployed.set(context);
        return Future.succeededFuture();
      }
    }));
    return deployed.get();
  }

  /** Runs {@code action} on {@code context} and returns what it returned. */
  public static <T> T on(Context context, Callable<T> action) throws Exception {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> {
      try {
        result.complete(action.call());
      } catch (Exception e) {
        result.fail(e);
      }
    });
    return await(result.future());
  }

  /** The name of the thread that runs {@code context}. */
  public static String thread(Context context) throws Exception {
    return on(context, () -> Thread.currentThread().getName());
  }
}
