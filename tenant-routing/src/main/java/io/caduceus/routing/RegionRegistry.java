package io.caduceus.routing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The regions this node serves, each with the connection pool of its PHI database (as the app role). */
public final class RegionRegistry {

  private final Map<String, Pool> pools;

  private RegionRegistry(Map<String, Pool> pools) {
    this.pools = pools;
  }

  /** Opens one pool per region, spreading each pool's connections over the event loops. */
  public static RegionRegistry open(Vertx vertx, Map<String, DatabaseEndpoint> appEndpoints, int poolSize,
                                    int eventLoops) {
    Map<String, Pool> pools = new LinkedHashMap<>();
    appEndpoints.forEach((region, endpoint) -> pools.put(region, PgBuilder.pool()
        .with(new PoolOptions()
            .setMaxSize(poolSize)
            .setMaxWaitQueueSize(poolSize * 64)
            .setEventLoopSize(eventLoops)
            .setName("region-" + region))
        .connectingTo(endpoint.connectOptions())
        .using(vertx)
        .build()));
    return new RegionRegistry(Map.copyOf(pools));
  }

  /** The pool of the region's PHI database; a region this node does not serve is a programming error. */
  public Pool pool(String region) {
    Pool pool = pools.get(region);
    if (pool == null) {
      throw new IllegalStateException("region not served by this node: " + region);
    }
    return pool;
  }

  /** Whether this node serves the region. */
  public boolean serves(String region) {
    return pools.containsKey(region);
  }

  /** The regions this node serves. */
  public Set<String> regions() {
    return pools.keySet();
  }

  /** Closes every pool. */
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    pools.values().forEach(pool -> closing.add(pool.close()));
    return Future.join(closing).mapEmpty();
  }
}
