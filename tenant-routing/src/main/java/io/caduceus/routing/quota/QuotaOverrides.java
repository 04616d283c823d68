package io.caduceus.routing.quota;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The platform's quota overrides for a tenant and its users, kept in the control plane and read through a short
 * cache; everyone else gets the defaults. A change made on this node applies at once, on others within the cache
 * time.
 */
public final class QuotaOverrides {

  private static final String LOAD = "SELECT subject, per_second, burst FROM tenant_quota WHERE tenant_id = $1";
  private static final String CLEAR = "DELETE FROM tenant_quota WHERE tenant_id = $1";
  private static final String INSERT = """
      INSERT INTO tenant_quota (tenant_id, subject, per_second, burst)
      VALUES ($1, $2, $3, $4)""";
  private static final String TENANT = "tenant";

  /** A tenant's overrides: its own quota (if not the default) and its users' (by user id). */
  public record Overrides(Optional<Quota> tenant, Map<UUID, Quota> users) {

    /** No overrides. */
    public static final Overrides NONE = new Overrides(Optional.empty(), Map.of());
  }

  private record Cached(Future<Overrides> overrides, long loadedAt) {
  }

  private final ControlPlane controlPlane;
  private final long keepNanos;
  private final Map<TenantId, Cached> cache = new ConcurrentHashMap<>();

  public QuotaOverrides(ControlPlane controlPlane, Duration keep) {
    this.controlPlane = controlPlane;
    this.keepNanos = keep.toNanos();
  }

  /** The tenant's overrides (cached; concurrent requests share one read). */
  public Future<Overrides> of(TenantId tenant) {
    long now = System.nanoTime();
    return cache.compute(tenant, (t, current) -> current != null && now - current.loadedAt < keepNanos
        && !current.overrides.failed() ? current : new Cached(load(tenant), now)).overrides;
  }

  /** Replaces the tenant's overrides. */
  public Future<Overrides> replace(TenantId tenant, Overrides overrides) {
    List<Tuple> rows = new ArrayList<>();
    overrides.tenant().ifPresent(q -> rows.add(Tuple.of(tenant.value(), TENANT, q.perSecond(), q.burst())));
    overrides.users().forEach((user, q) -> rows.add(Tuple.of(tenant.value(), user.toString(), q.perSecond(),
        q.burst())));
    return controlPlane.inTransaction(conn -> conn.preparedQuery(CLEAR).execute(Tuple.of(tenant.value()))
            .compose(v -> rows.isEmpty() ? Future.succeededFuture() : conn.preparedQuery(INSERT).executeBatch(rows)))
        .map(v -> {
          cache.put(tenant, new Cached(Future.succeededFuture(overrides), System.nanoTime()));
          return overrides;
        });
  }

  private Future<Overrides> load(TenantId tenant) {
    return controlPlane.pool().preparedQuery(LOAD).execute(Tuple.of(tenant.value())).map(rows -> {
      Optional<Quota> own = Optional.empty();
      Map<UUID, Quota> users = new HashMap<>();
      for (Row row : rows) {
        Quota q = new Quota(row.getDouble("per_second"), row.getInteger("burst"));
        if (TENANT.equals(row.getString("subject"))) {
          own = Optional.of(q);
        } else {
          users.put(UUID.fromString(row.getString("subject")), q);
        }
      }
      return new Overrides(own, Map.copyOf(users));
    });
  }
}
