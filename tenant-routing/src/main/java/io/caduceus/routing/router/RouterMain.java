package io.caduceus.routing.router;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs the region router from the environment ({@link RouterConfig#fromEnv}): {@code ./run.sh router}, which is
 * {@code java -jar api/target/caduceus.jar router}, lands here.
 */
public final class RouterMain {

  private RouterMain() {
  }

  /** Starts a router from the environment and prints where it listens. */
  public static void main(String[] args) {
    RouterConfig config;
    try {
      config = RouterConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      // Straight to stderr: the log is asynchronous, and exit would drop the line. It names a variable, no data.
      System.err.println("the region router did not start: " + e.getMessage());
      System.exit(2);
      return;
    }
    RegionRouter.start(config)
        .onSuccess(router -> {
          System.out.println("Caduceus region router is ready on port " + config.port() + ", regions "
              + config.nodes().keySet() + " (home " + config.home() + "); health: /router/health");
          Runtime.getRuntime().addShutdownHook(new Thread(() -> stopWithin(router, 10)));
        })
        .onFailure(e -> {
          System.err.println("the region router did not start: " + (e.getMessage() == null
              ? e.getClass().getName() : e.getMessage()));
          System.exit(1);
        });
  }

  // Runs on the JVM's shutdown thread, never an event loop.
  private static void stopWithin(RegionRouter router, int seconds) {
    CountDownLatch stopped = new CountDownLatch(1);
    router.stop().onComplete(done -> stopped.countDown());
    try {
      stopped.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
