package io.caduceus.api.boot;

import io.vertx.core.Future;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How long each phase of a start took, for the one line a node logs when it is ready ("ready in 1.8 s (jvm 0.3,
 * postgres 0.6, ...)"): an operator sees at once which dependency makes a restart slow. Phases that run at the same
 * time (PostgreSQL and Redis, the databases' migrations, the contract parse) overlap, so their sum exceeds the
 * total. Thread-safe: phases end on workers and event loops.
 */
public final class StartupPhases {

  private record Phase(String name, long nanos) {
  }

  private final long began;
  private final List<Phase> phases = new ArrayList<>();

  private StartupPhases(long began) {
    this.began = began;
  }

  /** Phases counted from now. */
  public static StartupPhases fromNow() {
    return new StartupPhases(System.nanoTime());
  }

  /**
   * Phases counted from now, the first being the JVM's own start up to this call, by the JVM's uptime. (The
   * process's start time, used before, is added to a boot time the kernel gives in whole seconds, so the phase was
   * up to a second off.)
   */
  public static StartupPhases fromJvmStart() {
    StartupPhases phases = fromNow();
    phases.record("jvm", TimeUnit.MILLISECONDS.toNanos(ManagementFactory.getRuntimeMXBean().getUptime()));
    return phases;
  }

  /** Runs a blocking phase and records how long it took, whether or not it succeeded. */
  public <T> T time(String name, Supplier<T> phase) {
    long t0 = System.nanoTime();
    try {
      return phase.get();
    } finally {
      record(name, System.nanoTime() - t0);
    }
  }

  /** Records an asynchronous phase that begins now and ends when {@code phase} completes. */
  public <T> Future<T> time(String name, Future<T> phase) {
    long t0 = System.nanoTime();
    return phase.onComplete(done -> record(name, System.nanoTime() - t0));
  }

  /** Records a phase measured elsewhere. */
  public synchronized void record(String name, long nanos) {
    phases.add(new Phase(name, Math.max(0, nanos)));
  }

  /** "ready in 1.8 s (jvm 0.3, postgres 0.6, ...)": the time since the start of counting, then every phase. */
  public synchronized String summary() {
    long jvm = phases.stream().filter(p -> p.name.equals("jvm")).mapToLong(Phase::nanos).sum();
    StringBuilder out = new StringBuilder("ready in ").append(seconds(System.nanoTime() - began + jvm)).append(" s (");
    for (int i = 0; i < phases.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(phases.get(i).name).append(' ').append(seconds(phases.get(i).nanos));
    }
    return out.append(')').toString();
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
  }
}
