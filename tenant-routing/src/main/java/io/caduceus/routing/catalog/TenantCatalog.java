package io.caduceus.routing.catalog;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.Timestamps;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.config.ConfigStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenant catalog in the control plane, with a short-lived in-process cache for the per-request lookup.
 *
 * <p>The cache only ever answers "where does this tenant live and how is it configured"; whether a tenant is
 * suspended is also published to Redis by the caller, so a suspension takes effect on the next request.
 */
public final class TenantCatalog {

  private static final int MAX_CACHED = 100_000;

  private final ControlPlane controlPlane;
  private final long ttlNanos;
  private final Map<TenantId, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Tenant tenant, long expiresAt) {
  }

  public TenantCatalog(ControlPlane controlPlane, Duration ttl) {
    this.controlPlane = controlPlane;
    this.ttlNanos = ttl.toNanos();
  }

  /** The tenant, from the cache when fresh. */
  public Future<Optional<Tenant>> find(TenantId id) {
    Cached cached = cache.get(id);
    if (cached != null && cached.expiresAt - System.nanoTime() > 0) {
      return Future.succeededFuture(Optional.of(cached.tenant));
    }
    return findFresh(id);
  }

  /** The tenant, read from the control plane now. */
  public Future<Optional<Tenant>> findFresh(TenantId id) {
    return controlPlane.pool().preparedQuery(TenantSql.FIND).execute(Tuple.of(id.value()))
        .map(rows -> remember(first(rows)));
  }

  /** Creates a tenant inside the caller's control-plane transaction, with its "general" configuration. */
  public Future<Tenant> create(SqlConnection conn, NewTenant t) {
    return conn.preparedQuery(TenantSql.INSERT)
        .execute(Tuple.from(new Object[] {UuidV7.next(), t.kind().wire(), t.slug(), t.name(), t.status().wire(),
            t.dataRegion(), t.tier().wire(), t.locale(), t.timeZone(), t.branding()}))
        .map(rows -> Tenant.fromRow(rows.iterator().next()))
        .compose(created -> ConfigStore.seedGeneral(conn, created.id(), created.locale(), created.timeZone(),
            created.branding()).map(created));
  }

  /** One page of tenants, optionally filtered, after the given position. */
  public Future<TenantPage> list(TenantStatus status, TenantKind kind, Instant afterCreatedAt, UUID afterId,
                                 int limit) {
    Tuple args = Tuple.of(status == null ? null : status.wire(), kind == null ? null : kind.wire(),
        afterCreatedAt == null ? null : Timestamps.utc(afterCreatedAt), afterId, limit + 1);
    return controlPlane.pool().preparedQuery(TenantSql.LIST).execute(args).map(rows -> {
      List<Tenant> tenants = new ArrayList<>();
      rows.forEach(row -> tenants.add(Tenant.fromRow(row)));
      if (tenants.size() <= limit) {
        return new TenantPage(tenants, null, null);
      }
      List<Tenant> page = tenants.subList(0, limit);
      Tenant last = page.get(limit - 1);
      return new TenantPage(List.copyOf(page), last.createdAt(), last.id().value());
    });
  }

  /** Moves a tenant to {@code status} if it is now in one of {@code from}; empty when it is not (or not there). */
  public Future<Optional<Tenant>> transition(TenantId id, Set<TenantStatus> from, TenantStatus status) {
    String[] allowed = from.stream().map(TenantStatus::wire).toArray(String[]::new);
    return controlPlane.pool().preparedQuery(TenantSql.SET_STATUS)
        .execute(Tuple.of(id.value(), status.wire(), allowed))
        .map(rows -> remember(first(rows)));
  }

  /**
   * Applies settings when the tenant is at {@code expectedVersion} (or unconditionally when it is null); empty
   * when the tenant does not exist or has moved on.
   */
  public Future<Optional<Tenant>> updateSettings(TenantId id, TenantSettings s, Integer expectedVersion) {
    Tuple args = Tuple.from(new Object[] {id.value(), expectedVersion, s.name(), s.locale(), s.timeZone(),
        s.branding()});
    return controlPlane.pool().preparedQuery(TenantSql.UPDATE_SETTINGS).execute(args)
        .map(rows -> remember(first(rows)));
  }

  /**
   * As {@link #updateSettings(TenantId, TenantSettings, Integer)}, inside the caller's control-plane transaction
   * (the caller reads the tenant again after it commits).
   */
  public Future<Optional<Tenant>> updateSettings(SqlConnection conn, TenantId id, TenantSettings s,
                                                 Integer expectedVersion) {
    Tuple args = Tuple.from(new Object[] {id.value(), expectedVersion, s.name(), s.locale(), s.timeZone(),
        s.branding()});
    return conn.preparedQuery(TenantSql.UPDATE_SETTINGS).execute(args).map(TenantCatalog::first);
  }

  /** Records the regions this deployment serves, so tenants can reference them. */
  public Future<Void> registerRegions(Map<String, String> regions) {
    List<Tuple> batch = new ArrayList<>();
    regions.forEach((code, name) -> batch.add(Tuple.of(code, name)));
    return controlPlane.pool().preparedQuery(TenantSql.UPSERT_REGION).executeBatch(batch).mapEmpty();
  }

  /** The regions known to the control plane, code to display name. */
  public Future<Map<String, String>> regions() {
    return controlPlane.pool().query(TenantSql.REGIONS).execute().map(rows -> {
      Map<String, String> regions = new LinkedHashMap<>();
      rows.forEach(row -> regions.put(row.getString("code"), row.getString("display_name")));
      return regions;
    });
  }

  /** How many tenants exist (used to decide whether to seed the demo platform). */
  public Future<Long> count() {
    return controlPlane.pool().query(TenantSql.COUNT).execute()
        .map(rows -> rows.iterator().next().getLong("n"));
  }

  /** Drops a cached entry so the next lookup reads the control plane. */
  public void invalidate(TenantId id) {
    cache.remove(id);
  }

  private Optional<Tenant> remember(Optional<Tenant> tenant) {
    tenant.ifPresent(t -> {
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
      cache.put(t.id(), new Cached(t, System.nanoTime() + ttlNanos));
    });
    return tenant;
  }

  private static Optional<Tenant> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(Tenant.fromRow(rows.iterator().next()));
  }
}
