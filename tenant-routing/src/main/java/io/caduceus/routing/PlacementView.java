package io.caduceus.routing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * This node's view of where tenants live: the few tenants outside the shared tables, and any tenant in the middle
 * of a tier move. Every other tenant is in its region's shared tables.
 *
 * <p>The view is read from the control plane when the node starts and then every {@code refreshMs}, so a move
 * (which changes a tenant's tier in the control plane) reaches every node within one period; the move waits two
 * periods between its steps for that reason. The lookup on the request path is a map read. If the control plane
 * cannot be read, the node keeps its last view.
 */
public final class PlacementView {

  /**
   * Where a tenant outside the shared tables is, whether a move holds its writes, and whether its place is usable
   * (a schema or database whose migration failed is not, until an operator fixes it and a node retries).
   */
  public record Entry(TenantId tenant, String region, IsolationTier tier, boolean writesPaused, boolean usable) {
  }

  static final String PLACED = """
      SELECT id, data_region, isolation_tier, move_state,
        (isolation_tier = 'shared' OR place_version IS NOT NULL) AND place_failure IS NULL AS usable
      FROM tenant
      WHERE isolation_tier <> 'shared' OR move_state IS NOT NULL""";

  private static final Logger LOG = LoggerFactory.getLogger(PlacementView.class);

  private final ControlPlane controlPlane;
  private final RareWarning unreadable = new RareWarning(LOG, 10_000);
  private volatile Map<TenantId, Entry> placed = Map.of();
  private Future<Void> inFlight;
  private Runnable stopRefreshing = () -> { };

  private PlacementView(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  /** A view that places every tenant in the shared tables, for tools and tests with no control plane. */
  public static PlacementView sharedOnly() {
    return new PlacementView(null);
  }

  /** Reads the view once, then keeps it fresh every {@code refreshMs} on {@code vertx}'s timers. */
  public static Future<PlacementView> load(Vertx vertx, ControlPlane controlPlane, long refreshMs) {
    PlacementView placements = new PlacementView(Objects.requireNonNull(controlPlane));
    return placements.refresh().map(v -> {
      long timer = vertx.setPeriodic(refreshMs, refreshMs, id -> placements.refresh());
      placements.stopRefreshing = () -> vertx.cancelTimer(timer);
      return placements;
    });
  }

  /** Stops the periodic reads, before the control-plane pool closes; the last view stays. */
  public void stopRefreshing() {
    stopRefreshing.run();
  }

  /** Reads the control plane now; callers that ask while a read is under way share it. */
  public synchronized Future<Void> refresh() {
    if (controlPlane == null) {
      return Future.succeededFuture();
    }
    if (inFlight != null) {
      // The read belongs to the context that started it: a request joining it from another event loop resumes on
      // its own.
      return CallerPromise.follow(inFlight);
    }
    Future<Void> reading = read().andThen(done -> clearInFlight());
    if (!reading.isComplete()) {
      inFlight = reading;
    }
    return reading;
  }

  private synchronized void clearInFlight() {
    inFlight = null;
  }

  private Future<Void> read() {
    return controlPlane.pool().query(PLACED).execute().map(rows -> {
      Map<TenantId, Entry> next = new HashMap<>();
      for (Row row : rows) {
        TenantId id = new TenantId(row.getUUID("id"));
        next.put(id, new Entry(id, row.getString("data_region"),
            IsolationTier.fromWire(row.getString("isolation_tier")), "paused".equals(row.getString("move_state")),
            row.getBoolean("usable")));
      }
      placed = Map.copyOf(next);
      return (Void) null;
    }).onFailure(e -> unreadable.warn("placements not refreshed; keeping the last view ({}{})",
        e.getClass().getSimpleName(), e instanceof PgException pg ? " " + pg.getSqlState() : ""));
  }

  /** Where the tenant's rows are now. */
  public Placement of(TenantId tenant, String region) {
    Entry entry = placed.get(tenant);
    return entry == null ? Placement.shared(region) : Placement.of(tenant, region, entry.tier());
  }

  /** Whether the tenant's place can be used: false only for a schema or database whose migration failed. */
  public boolean usable(TenantId tenant) {
    Entry entry = placed.get(tenant);
    return entry == null || entry.usable();
  }

  /** Whether this view knows the tenant as placed outside the shared tables or moving. */
  public boolean knows(TenantId tenant) {
    return placed.containsKey(tenant);
  }

  /** Whether the tenant's writes are held by a tier move. */
  public boolean writesPaused(TenantId tenant) {
    Entry entry = placed.get(tenant);
    return entry != null && entry.writesPaused();
  }

  /**
   * Every place in the region that may hold tenant rows: the shared tables first, then each tenant schema and
   * tenant database. The background loops look for due work in each.
   */
  public List<Placement> places(String region) {
    List<Placement> places = new ArrayList<>();
    places.add(Placement.shared(region));
    placed.values().stream()
        .filter(e -> e.region().equals(region) && e.tier() != IsolationTier.SHARED)
        .sorted((x, y) -> x.tenant().value().compareTo(y.tenant().value()))
        .forEach(e -> places.add(Placement.of(e.tenant(), region, e.tier())));
    return places;
  }
}
