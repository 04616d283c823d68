package io.caduceus.routing.quota;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.List;

/**
 * The generic cell rate algorithm in Redis: one key per limited thing holds its theoretical arrival time, and one
 * Lua script checks and advances it atomically, so every node shares the limit. Redis's clock is used, so nodes'
 * clocks need not agree.
 */
public final class Gcra {

  private static final String SCRIPT = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local interval = tonumber(ARGV[1]) local burst = tonumber(ARGV[2]) local cost = tonumber(ARGV[3])
      local tat = tonumber(redis.call('GET', KEYS[1]) or now) if tat < now then tat = now end
      local newTat = tat + interval * cost local allowAt = newTat - interval * burst
      if allowAt > now then return {0, allowAt - now, 0} end
      redis.call('SET', KEYS[1], newTat, 'PX', math.max(1, newTat - now))
      return {1, 0, math.floor((now - (newTat - interval * burst)) / interval)}""";

  private final RedisAPI redis;

  public Gcra(RedisAPI redis) {
    this.redis = redis;
  }

  /** The answer for one request: allowed or not, how long to wait if not, and how many more fit now. */
  public record Verdict(boolean allowed, long retryAfterMs, long remaining) {
  }

  /**
   * Spends {@code cost} units of {@code key}'s allowance of {@code perSecond} with bursts up to {@code burst}.
   * A refused request spends nothing.
   */
  public Future<Verdict> take(String key, double perSecond, int burst, int cost) {
    long intervalMs = Math.max(1, Math.round(1000.0 / perSecond));
    return redis.eval(List.of(SCRIPT, "1", key, Long.toString(intervalMs), Integer.toString(Math.max(1, burst)),
            Integer.toString(Math.max(1, cost))))
        .map(Gcra::verdict);
  }

  private static Verdict verdict(Response r) {
    return new Verdict(r.get(0).toInteger() == 1, r.get(1).toLong(), r.get(2).toLong());
  }
}
