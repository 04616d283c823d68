package io.caduceus.routing.quota;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The same cell-rate algorithm as {@link Gcra}, in this node's memory: what the quota falls back to when Redis
 * cannot answer. Each node then enforces its share of the quota on its own.
 */
public final class LocalGcra {

  private final Map<String, Long> arrivals = new ConcurrentHashMap<>();

  /** Spends {@code cost} of {@code key}'s allowance; a refused request spends nothing. */
  public Gcra.Verdict take(String key, double perSecond, int burst, int cost, long nowMs) {
    long interval = Math.max(1, Math.round(1000.0 / perSecond));
    long[] verdict = new long[3];
    arrivals.compute(key, (k, tat) -> {
      long current = tat == null || tat < nowMs ? nowMs : tat;
      long next = current + interval * Math.max(1, cost);
      long allowAt = next - interval * Math.max(1, burst);
      if (allowAt > nowMs) {
        verdict[0] = 0;
        verdict[1] = allowAt - nowMs;
        return tat;
      }
      verdict[0] = 1;
      verdict[2] = (nowMs - allowAt) / interval;
      return next;
    });
    return new Gcra.Verdict(verdict[0] == 1, verdict[1], verdict[2]);
  }
}
