package io.caduceus.api.live;

import io.caduceus.routing.Placement;
import io.caduceus.routing.PlacementView;
import io.caduceus.routing.RareWarning;
import io.caduceus.routing.RegionRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Listens for {@link LiveChanges} in every database that holds tenants of this node's regions: each region's own
 * database, and the database of each database-tier tenant there. One connection of its own per database
 * ({@code LISTEN} holds it for good). A lost connection is reopened with backoff (250 ms doubling to 30 s), and once
 * it listens again every subscription on the node is pushed its current state, since changes committed meanwhile
 * were not delivered. Runs on one event loop (its verticle's); the hub hands changes to the sockets' own loops.
 */
public final class LiveListener {

  /** How sockets' connections show in {@code pg_stat_activity}. */
  public static final String APPLICATION_NAME = "caduceus-live";
  private static final Logger LOG = LoggerFactory.getLogger(LiveListener.class);
  private static final RareWarning LOST = new RareWarning(LOG, 10_000);
  private static final long MIN_BACKOFF_MS = 250;
  private static final long MAX_BACKOFF_MS = 30_000;
  private static final long WATCH_MS = 2_000;

  private final Vertx vertx;
  private final RegionRegistry regions;
  private final PlacementView placements;
  private final LiveHub hub;
  private final Map<Placement, PgConnection> listening = new HashMap<>();
  private final Set<Placement> connecting = new HashSet<>();
  private final AtomicLong reconnects = new AtomicLong();
  private long watch = -1;
  private boolean stopped;

  public LiveListener(Vertx vertx, RegionRegistry regions, PlacementView placements, LiveHub hub) {
    this.vertx = vertx;
    this.regions = regions;
    this.placements = placements;
    this.hub = hub;
  }

  /** Starts listening in every database of the node's regions; a database that cannot be reached is retried. */
  public Future<Void> start() {
    List<Future<Void>> first = new ArrayList<>();
    wanted().forEach(place -> first.add(listen(place, 0, false)));
    watch = vertx.setPeriodic(WATCH_MS, id -> watch());
    return Future.join(first).mapEmpty();
  }

  /** Stops listening and closes the connections. */
  public Future<Void> stop() {
    stopped = true;
    if (watch >= 0) {
      vertx.cancelTimer(watch);
    }
    List<Future<Void>> closing = new ArrayList<>();
    listening.values().forEach(conn -> closing.add(conn.close()));
    listening.clear();
    return Future.join(closing).mapEmpty();
  }

  /** How many times a listening connection has been reopened (for tests and metrics). */
  public long reconnects() {
    return reconnects.get();
  }

  private Set<Placement> wanted() {
    Set<Placement> places = new HashSet<>();
    for (String region : regions.regions()) {
      places.add(Placement.shared(region));
      placements.places(region).stream().filter(p -> !p.inRegionDatabase()).forEach(places::add);
    }
    return places;
  }

  /** Opens listeners for tenant databases that appeared, closes those of tenants that left them. */
  private void watch() {
    Set<Placement> wanted = wanted();
    wanted.stream().filter(p -> !listening.containsKey(p) && !connecting.contains(p))
        .forEach(p -> listen(p, 0, false));
    new ArrayList<>(listening.keySet()).stream().filter(p -> !wanted.contains(p))
        .forEach(p -> listening.remove(p).close());
  }

  private Future<Void> listen(Placement place, int attempt, boolean again) {
    if (stopped) {
      return Future.succeededFuture();
    }
    connecting.add(place);
    return regions.connect(place, APPLICATION_NAME).compose(conn -> {
      conn.notificationHandler(n -> {
        if (LiveChanges.CHANNEL.equals(n.getChannel())) {
          deliver(n.getPayload());
        }
      });
      conn.closeHandler(v -> lost(place, conn));
      return conn.query("LISTEN " + LiveChanges.CHANNEL).execute().map(rows -> {
        connecting.remove(place);
        listening.put(place, conn);
        if (again) {
          reconnects.incrementAndGet();
          hub.refreshAll();
        }
        return (Void) null;
      }).onFailure(e -> conn.close());
    }).recover(e -> {
      connecting.remove(place);
      LOST.warn("live changes: cannot listen in {} ({}); retrying", place, e.getClass().getSimpleName());
      retry(place, attempt + 1);
      return Future.succeededFuture();
    });
  }

  private void lost(Placement place, PgConnection conn) {
    if (listening.get(place) != conn) {
      return; // closed on purpose
    }
    listening.remove(place);
    LOST.warn("live changes: the listener in {} was lost; reconnecting", place);
    retry(place, 0);
  }

  private void retry(Placement place, int attempt) {
    if (stopped || !wanted().contains(place)) {
      return;
    }
    long delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(attempt, 7));
    connecting.add(place);
    vertx.setTimer(delay, id -> listen(place, attempt, true));
  }

  private void deliver(String payload) {
    LiveChange change;
    try {
      change = LiveChange.decode(payload);
    } catch (RuntimeException e) {
      LOST.warn("live changes: a payload was not a change ({})", e.getClass().getSimpleName());
      return;
    }
    hub.changed(change);
  }
}
