package io.caduceus.notifications.engage;

import io.caduceus.routing.TenantDb;
import io.caduceus.routing.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Which node runs a schedule now. Claiming moves the schedule's next run forward in one conditional UPDATE, so of
 * several nodes exactly one wins each run; after downtime an overdue schedule runs once, from now, not once for
 * every interval it missed.
 */
public final class ScheduleLease {

  private static final String CREATE = """
      INSERT INTO engagement_schedule (name, next_run_at)
      VALUES ($1, $2)
      ON CONFLICT (name) DO NOTHING""";
  private static final String CLAIM = """
      UPDATE engagement_schedule
      SET next_run_at = $2 + $3 * interval '1 millisecond', last_run_at = $2, last_node = $4
      WHERE name = $1 AND next_run_at <= $2
      RETURNING name""";

  private final TenantDb db;
  private final Clock clock;
  private final String node;

  public ScheduleLease(TenantDb db, Clock clock, String node) {
    this.db = db;
    this.clock = clock;
    this.node = node;
  }

  /** Whether this node runs {@code schedule} in {@code region} now; if so, the next run is {@code every} later. */
  public Future<Boolean> claim(String region, String schedule, Duration every) {
    Instant now = clock.instant();
    return db.withoutTenant(region, CREATE, Tuple.of(schedule, Timestamps.utc(now)))
        .compose(v -> db.withoutTenant(region, CLAIM, Tuple.of(schedule, Timestamps.utc(now), every.toMillis(), node)))
        .map(rows -> rows.size() == 1);
  }
}
