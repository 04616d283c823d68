package io.caduceus.routing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The regions this node serves, each with the connection pool of its PHI database (as the app role), and the
 * smaller pools of tenant databases (the database tier), opened when first used.
 */
public final class RegionRegistry {

  /** Connections per tenant database on each node: such a tenant is big, but its pool is its own. */
  static final int TENANT_DATABASE_POOL = 4;
  private static final int TENANT_DATABASE_IDLE_SECONDS = 60;
  /**
   * A pooled connection is closed and replaced after this long: a backend's session keeps a setting per member it
   * served under the scoped access policy (region V42's memo) and per patient it versioned, which only the end of the
   * session frees. Replacing a connection every half hour costs a connect and its statements' first preparations.
   */
  static final int MAX_LIFETIME_MINUTES = 30;

  private final Vertx vertx;
  private final Map<String, DatabaseEndpoint> endpoints;
  private final Map<String, Pool> pools;
  private final Map<String, Pool> scanPools = new ConcurrentHashMap<>();
  private final Map<String, Pool> tenantDatabases = new ConcurrentHashMap<>();
  private final int eventLoops;

  private RegionRegistry(Vertx vertx, Map<String, DatabaseEndpoint> endpoints, Map<String, Pool> pools,
                         int eventLoops) {
    this.vertx = vertx;
    this.endpoints = endpoints;
    this.pools = pools;
    this.eventLoops = eventLoops;
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
            .setMaxLifetime(MAX_LIFETIME_MINUTES).setMaxLifetimeUnit(TimeUnit.MINUTES)
            .setName("region-" + region))
        .connectingTo(endpoint.connectOptions())
        .using(vertx)
        .build()));
    return new RegionRegistry(vertx, Map.copyOf(appEndpoints), Map.copyOf(pools), eventLoops);
  }

  /** The pool that reaches {@code place}: its region's, or its tenant database's. */
  public Pool pool(Placement place) {
    Pool regional = pool(place.region());
    if (place.inRegionDatabase()) {
      return regional;
    }
    DatabaseEndpoint region = endpoints.get(place.region());
    return tenantDatabases.computeIfAbsent(place.databaseName(region.database()), name -> PgBuilder.pool()
        .with(new PoolOptions()
            .setMaxSize(TENANT_DATABASE_POOL)
            .setMaxWaitQueueSize(TENANT_DATABASE_POOL * 64)
            // A region can hold many database-tier tenants, most of them idle at any moment: their connections
            // close after a minute unused, so a node keeps backends only for the tenants it is serving.
            .setIdleTimeout(TENANT_DATABASE_IDLE_SECONDS).setIdleTimeoutUnit(TimeUnit.SECONDS)
            .setMaxLifetime(MAX_LIFETIME_MINUTES).setMaxLifetimeUnit(TimeUnit.MINUTES)
            .setEventLoopSize(Math.min(eventLoops, TENANT_DATABASE_POOL))
            .setName("tenant-db-" + name))
        .connectingTo(region.onDatabase(name).connectOptions())
        .using(vertx)
        .build());
  }

  /**
   * One connection to the region's database for scanning every tenant schema for due work. A backend caches the
   * catalog entries of every table it touches; keeping the scans on one connection keeps that cost to one backend,
   * while the request pool's backends only learn the schemas of the tenants they serve.
   */
  public Pool scanPool(String region) {
    pool(region);
    return scanPools.computeIfAbsent(region, r -> PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(1).setMaxWaitQueueSize(256).setName("region-scan-" + r))
        .connectingTo(endpoints.get(r).connectOptions())
        .using(vertx)
        .build());
  }

  /** Closes a tenant database's pool, before the database is dropped or after its tenant moved out. */
  public Future<Void> release(Placement place) {
    Pool pool = place.inRegionDatabase() ? null
        : tenantDatabases.remove(place.databaseName(endpoints.get(place.region()).database()));
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  /**
   * One connection of its own (no pool) to the database that holds {@code place}, as the app role and named
   * {@code applicationName} in {@code pg_stat_activity}: for a {@code LISTEN}, which must outlive any transaction
   * and would pin a pooled connection. It reads no tenant rows; the caller closes it.
   */
  public Future<PgConnection> connect(Placement place, String applicationName) {
    DatabaseEndpoint region = endpoint(place.region());
    DatabaseEndpoint target = place.inRegionDatabase() ? region
        : region.onDatabase(place.databaseName(region.database()));
    return PgConnection.connect(vertx, target.connectOptions()
        .addProperty("application_name", applicationName));
  }

  /** The region's database as the app role, for tools that connect to a tenant database by name. */
  public DatabaseEndpoint endpoint(String region) {
    DatabaseEndpoint endpoint = endpoints.get(region);
    if (endpoint == null) {
      throw new IllegalStateException("region not served by this node: " + region);
    }
    return endpoint;
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
    tenantDatabases.values().forEach(pool -> closing.add(pool.close()));
    scanPools.values().forEach(pool -> closing.add(pool.close()));
    return Future.join(closing).mapEmpty();
  }
}
