package io.caduceus.api.ops;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.RegionRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Liveness (the process runs) and readiness (every database answers within a second, and the node is not stopping).
 * Redis is probed and reported but does not decide readiness: without it the node keeps serving (every user of Redis
 * has a fallback), so taking every node out of a load balancer for a Redis outage would turn a degradation into an
 * outage.
 */
public final class HealthHandlers {

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  private static final String REDIS = "redis";

  private final ControlPlane controlPlane;
  private final RegionRegistry regions;
  private final RedisAPI redis;
  private final BooleanSupplier revocationCache;
  private final Draining draining;

  /** {@code revocationCache} says whether sessions are checked in Redis (else in the control plane, degraded). */
  public HealthHandlers(ControlPlane controlPlane, RegionRegistry regions, RedisAPI redis,
                        BooleanSupplier revocationCache, Draining draining) {
    this.controlPlane = controlPlane;
    this.regions = regions;
    this.redis = redis;
    this.revocationCache = revocationCache;
    this.draining = draining;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("getLiveness", rc -> Future.succeededFuture(Reply.ok(new JsonObject().put("status", "up"))));
    ops.bind("getReadiness", rc -> ready());
  }

  private Future<Reply> ready() {
    if (draining.stopping()) {
      return Future.succeededFuture(new Reply(503, Map.of("Cache-Control", "no-store"),
          new JsonObject().put("status", "stopping")));
    }
    Map<String, Future<?>> probes = new LinkedHashMap<>();
    probes.put("controlPlane", controlPlane.pool().query("SELECT 1").execute());
    regions.regions().forEach(region -> probes.put("region:" + region,
        regions.pool(region).query("SELECT 1").execute()));
    probes.put(REDIS, redis.ping(List.of()));
    List<Future<?>> timed = new ArrayList<>();
    probes.values().forEach(p -> timed.add(p.timeout(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)));
    return Future.join(timed).transform(done -> {
      JsonObject checks = new JsonObject();
      boolean up = true;
      int i = 0;
      for (String name : probes.keySet()) {
        boolean ok = timed.get(i++).succeeded();
        checks.put(name, ok ? "up" : "down");
        up &= ok || name.equals(REDIS);
      }
      checks.put("revocationCache", revocationCache.getAsBoolean() ? "up" : "down");
      JsonObject body = new JsonObject().put("status", up ? "up" : "down").put("checks", checks);
      return Future.succeededFuture(new Reply(up ? 200 : 503, Map.of("Cache-Control", "no-store"), body));
    });
  }
}
