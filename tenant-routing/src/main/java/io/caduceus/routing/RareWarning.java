package io.caduceus.routing;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A warning logged at most once per interval however often its cause recurs, so an outage (Redis down, say) that
 * every request or message runs into does not flood the log.
 */
public final class RareWarning {

  private final Logger log;
  private final long intervalMs;
  private final AtomicLong last = new AtomicLong();

  public RareWarning(Logger log, long intervalMs) {
    this.log = log;
    this.intervalMs = intervalMs;
  }

  /** Logs {@code message} (an SLF4J pattern) unless it was logged within the interval. */
  public void warn(String message, Object... args) {
    long now = System.currentTimeMillis();
    long previous = last.get();
    if (now - previous > intervalMs && last.compareAndSet(previous, now)) {
      log.warn(message, args);
    }
  }
}
