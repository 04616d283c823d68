package io.caduceus.api.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters that reset a window after their first count, in this node's memory: what {@link LoginThrottle} counts
 * in while Redis cannot answer. Each node then counts on its own.
 */
final class LocalCounters {

  private static final int MAX_KEYS = 100_000;

  /** A count and the seconds left in its window. */
  record Count(long value, long secondsLeft) {
  }

  private record Window(long value, long endsAtMs) {
  }

  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /** Adds one to {@code key}, starting a window of {@code length} if none is open. */
  Count increment(String key, Duration length) {
    long now = System.currentTimeMillis();
    if (windows.size() >= MAX_KEYS) {
      windows.values().removeIf(w -> w.endsAtMs <= now);
    }
    Window w = windows.compute(key, (k, open) -> open == null || open.endsAtMs <= now
        ? new Window(1, now + length.toMillis()) : new Window(open.value + 1, open.endsAtMs));
    return count(w, now);
  }

  /** The count of {@code key} in its open window (zero if none). */
  Count get(String key) {
    long now = System.currentTimeMillis();
    Window w = windows.get(key);
    return w == null || w.endsAtMs <= now ? new Count(0, 0) : count(w, now);
  }

  /** Closes {@code key}'s window. */
  void clear(String key) {
    windows.remove(key);
  }

  private static Count count(Window w, long now) {
    return new Count(w.value, Math.max(1, (w.endsAtMs - now + 999) / 1000));
  }
}
