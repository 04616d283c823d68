package io.caduceus.api.testing;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The client load of a fault test: a few threads sending requests back to back until stopped, every outcome kept
 * with when it was sent and when it ended. A request that got no answer (refused, reset, timed out) is kept with
 * status 0.
 */
public final class Load implements AutoCloseable {

  /** What one worker sends next; {@code n} counts that worker's requests. */
  @FunctionalInterface
  public interface Request {
    Api.Response send(int worker, int n);
  }

  /**
   * One request: what it was (its kind, and the worker's {@code n}th), when it was sent and ended (System.nanoTime),
   * and its answer (null if none).
   */
  public record Outcome(String kind, int n, long sentNanos, long endedNanos, int status, Api.Response response) {

    /** Whether it got an HTTP answer. */
    public boolean answered() {
      return status != 0;
    }
  }

  private final List<Thread> workers = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

  private Load() {
  }

  /** Starts {@code kinds.size()} workers, one per named request. */
  public static Load start(Map<String, Request> kinds) {
    Load load = new Load();
    int worker = 0;
    for (Map.Entry<String, Request> kind : kinds.entrySet()) {
      int id = worker++;
      Thread thread = new Thread(() -> load.run(id, kind.getKey(), kind.getValue()), "load-" + kind.getKey());
      thread.setDaemon(true);
      load.workers.add(thread);
    }
    load.workers.forEach(Thread::start);
    return load;
  }

  private void run(int worker, String kind, Request request) {
    for (int n = 0; running.get(); n++) {
      long sent = System.nanoTime();
      Api.Response response;
      try {
        response = request.send(worker, n);
      } catch (UncheckedIOException | IllegalStateException e) {
        response = null;
      }
      outcomes.add(new Outcome(kind, n, sent, System.nanoTime(), response == null ? 0 : response.status(),
          response));
      if (response == null) {
        // Pacing, as a real client backs off: a worker must not spin on a refused port and starve the node.
        LockSupport.parkNanos(50_000_000L);
      }
    }
  }

  /** Every outcome so far. */
  public List<Outcome> outcomes() {
    return new ArrayList<>(outcomes);
  }

  /** How many outcomes so far satisfy {@code which}. */
  public long count(Predicate<Outcome> which) {
    return outcomes.stream().filter(which).count();
  }

  /** Outcomes per status (0: no answer), in status order. */
  public static Map<Integer, Long> byStatus(List<Outcome> outcomes) {
    Map<Integer, Long> counts = new TreeMap<>();
    outcomes.forEach(o -> counts.merge(o.status(), 1L, Long::sum));
    return counts;
  }

  /** Stops the workers and waits for their last requests to end. */
  @Override
  public void close() {
    running.set(false);
    for (Thread worker : workers) {
      try {
        worker.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
