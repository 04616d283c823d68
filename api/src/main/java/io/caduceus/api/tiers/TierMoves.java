package io.caduceus.api.tiers;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.PlaceDoor;
import io.caduceus.routing.Placement;
import io.caduceus.routing.PlacementView;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.TenantRows;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Online tier moves: a tenant goes from one isolation tier to another while it stays readable.
 *
 * <ol>
 *   <li><b>prepare</b>: the destination schema or database is built and migrated; any rows of the tenant left there
 *   by an earlier, failed move are deleted.</li>
 *   <li><b>pause</b>: the tenant's writes are paused ({@code move_state = 'paused'}); every node learns it within one
 *   placement refresh and from then on runs the tenant's transactions read-only, so PostgreSQL itself refuses any
 *   write. API writes answer 503 with {@code Retry-After}. Reads go on, and are still audited.</li>
 *   <li><b>copy</b> every tenant table, parents first, then <b>verify</b> each one's row count and checksum in both
 *   places. The audit trail is left out of the check here: reads keep adding to it.</li>
 *   <li><b>switch</b>: the control plane names the new tier while writes stay paused. Once every node reads from the
 *   new place, the audit events written meanwhile in the old one are copied across, and every table, the audit
 *   trail included, must match before writes resume.</li>
 *   <li><b>clean</b>: the old copy is removed (the tenant's rows in the shared tables, or its schema or database), and
 *   the move checks that nothing of the tenant is left there.</li>
 * </ol>
 *
 * <p>The control plane's tier is the truth throughout: a move that fails before the switch leaves the tenant where
 * it was (its writes resume), and the half-filled destination is emptied by the next attempt.
 */
public final class TierMoves {

  private static final Logger LOG = LoggerFactory.getLogger(TierMoves.class);
  private static final Set<String> APPEND_ONLY_DURING_PAUSE = Set.of("audit_event");

  static final String COLUMNS = """
      id, tenant_id, from_tier, to_tier, state, step, progress, failure, started_at, finished_at""";
  static final String START = """
      INSERT INTO tenant_move (id, tenant_id, from_tier, to_tier, state, step, node)
      VALUES ($1, $2, $3, $4, 'running', 'prepare', $5)
      RETURNING %s""".formatted(COLUMNS);
  static final String FIND = "SELECT " + COLUMNS + " FROM tenant_move WHERE id = $1 AND tenant_id = $2";
  static final String STEP = "UPDATE tenant_move SET step = $2, progress = $3, heartbeat = now() WHERE id = $1";
  static final String FINISH = """
      UPDATE tenant_move
      SET state = $2, step = $3, progress = $4, failure = $5, finished_at = now(), heartbeat = now()
      WHERE id = $1""";
  static final String PAUSE = """
      UPDATE tenant
      SET move_state = 'paused'
      WHERE id = $1 AND move_state IS NULL AND isolation_tier = $2""";
  static final String SWITCH = """
      UPDATE tenant
      SET isolation_tier = $2, place_version = $3, place_failure = NULL, updated_at = now(),
        version = version + 1
      WHERE id = $1 AND move_state = 'paused'""";
  static final String RESUME = "UPDATE tenant SET move_state = NULL WHERE id = $1";
  // A move whose node stopped beating for a minute is over: the tier in the control plane stays the truth.
  static final String ABANDON = """
      UPDATE tenant_move
      SET state = 'failed', failure = 'abandoned: its node stopped', finished_at = now()
      WHERE tenant_id = $1 AND state = 'running' AND heartbeat < now() - interval '60 seconds'
      RETURNING id""";

  private final Vertx vertx;
  private final ControlPlane controlPlane;
  private final TenantCatalog catalog;
  private final PlaceDoor places;
  private final PlacementView placements;
  private final RegionRegistry regions;
  private final Duration settle;
  private final String node = UUID.randomUUID().toString();

  /**
   * {@code settle} is how long a step waits for every node to see the previous one: two placement refreshes and a
   * margin for transactions already under way.
   */
  public TierMoves(Vertx vertx, ControlPlane controlPlane, TenantCatalog catalog, PlaceDoor places,
                   PlacementView placements, RegionRegistry regions, Duration settle) {
    this.vertx = vertx;
    this.controlPlane = controlPlane;
    this.catalog = catalog;
    this.places = places;
    this.placements = placements;
    this.regions = regions;
    this.settle = settle;
  }

  /** Starts moving the tenant to {@code body.isolationTier}; the move runs in the background. */
  public Future<JsonObject> start(TenantContext ctx, TenantId tenantId, JsonObject body) {
    IsolationTier to;
    try {
      to = IsolationTier.fromWire(body.getString("isolationTier", ""));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new Invalid("/isolationTier", "one of shared, schema, database"));
    }
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .compose(v -> catalog.findFresh(tenantId))
        .compose(found -> {
          Tenant tenant = found.orElseThrow(() -> new NotFound("no such tenant"));
          if (!regions.serves(tenant.dataRegion())) {
            throw new Conflict("the tenant's region is served by other nodes; ask one of them");
          }
          if (tenant.tier() == to) {
            throw new Conflict("the tenant is already in the " + to.wire() + " tier");
          }
          Future<Boolean> possible = to == IsolationTier.DATABASE ? places.canCreateDatabases()
              : Future.succeededFuture(true);
          return possible.compose(can -> can ? begin(tenant, to)
              : Future.failedFuture(new Unprocessable("this deployment cannot create tenant databases")));
        });
  }

  /** One move of the tenant. */
  public Future<JsonObject> get(TenantContext ctx, TenantId tenantId, UUID moveId) {
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .compose(v -> controlPlane.pool().preparedQuery(FIND).execute(Tuple.of(moveId, tenantId.value())))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new NotFound("no such move");
          }
          return TenantJobs.json(rows.iterator().next());
        });
  }

  private Future<JsonObject> begin(Tenant tenant, IsolationTier to) {
    UUID id = UuidV7.next();
    return controlPlane.pool().preparedQuery(ABANDON).execute(Tuple.of(tenant.id().value()))
        .compose(abandoned -> abandoned.size() == 0 ? Future.succeededFuture()
            : controlPlane.pool().preparedQuery(RESUME).execute(Tuple.of(tenant.id().value())).mapEmpty())
        .compose(v -> controlPlane.pool().preparedQuery(START).execute(Tuple.of(id, tenant.id().value(),
            tenant.tier().wire(), to.wire(), node)))
        .recover(e -> Future.failedFuture(ConstraintViolation.of(e, "tenant_move_running")
            ? new Conflict("a move of this tenant is already running") : e))
        .map(rows -> {
          JsonObject started = TenantJobs.json(rows.iterator().next());
          new Run(id, tenant, to).go();
          return started;
        });
  }

  /** One move in progress, on this node. */
  private final class Run {

    private final UUID id;
    private final Tenant tenant;
    private final Placement from;
    private final Placement to;
    private final JsonObject progress = new JsonObject().put("tablesCopied", 0).put("rowsCopied", 0L);
    private TenantRows sourceRows;
    private TenantRows destinationRows;
    private List<TenantRows.Table> tables;
    private boolean paused;
    private boolean switched;

    Run(UUID id, Tenant tenant, IsolationTier toTier) {
      this.id = id;
      this.tenant = tenant;
      this.from = Placement.of(tenant.id(), tenant.dataRegion(), tenant.tier());
      this.to = Placement.of(tenant.id(), tenant.dataRegion(), toTier);
    }

    void go() {
      LOG.info("tier move {} started: {} -> {}", id, from.tier().wire(), to.tier().wire());
      places.prepare(to)
          .compose(version -> {
            sourceRows = places.rows(from, tenant.id(), "tier-move-" + id);
            destinationRows = places.rows(to, tenant.id(), "tier-move-" + id);
            return sourceRows.tables().compose(found -> {
              tables = found;
              progress.put("tables", tables.size());
              return destinationRows.deleteAll(tables);
            })
                .compose(v -> step("pause"))
                .compose(v -> update(PAUSE, Tuple.of(tenant.id().value(), from.tier().wire())))
                .compose(paused -> {
                  if (paused == 0) {
                    return Future.failedFuture(new IllegalStateException("the tenant changed tier or is moving"));
                  }
                  this.paused = true;
                  return settle();
                })
                .compose(v -> step("copy"))
                .compose(v -> copyAll())
                .compose(v -> step("verify"))
                .compose(v -> verify(false))
                .compose(v -> step("switch"))
                .compose(v -> update(SWITCH, Tuple.of(tenant.id().value(), to.tier().wire(),
                    to.tier() == IsolationTier.SHARED ? null : version)))
                .compose(v -> {
                  switched = true;
                  catalog.invalidate(tenant.id());
                  return settle();
                })
                .compose(v -> catchUp())
                .compose(v -> verify(true))
                .compose(v -> update(RESUME, Tuple.of(tenant.id().value())))
                .compose(v -> {
                  paused = false;
                  return placements.refresh();
                })
                .compose(v -> step("clean"))
                .compose(v -> settle())
                .compose(v -> clean());
          })
          .onComplete(done -> {
            Future<Void> resumed = paused && !switched
                ? update(RESUME, Tuple.of(tenant.id().value())).compose(v -> placements.refresh())
                : Future.succeededFuture();
            resumed.transform(v -> closePools()).onComplete(closed -> finish(done.failed() ? done.cause() : null));
          });
    }

    private Future<Void> copyAll() {
      Future<Void> chain = Future.succeededFuture();
      for (TenantRows.Table table : tables) {
        chain = chain.compose(v -> sourceRows.read(table, batch -> destinationRows.insert(table, batch)
                .andThen(done -> progress.put("rowsCopied", progress.getLong("rowsCopied") + batch.size())))
            .compose(n -> {
              progress.put("tablesCopied", progress.getInteger("tablesCopied") + 1);
              return heartbeat();
            }));
      }
      return chain;
    }

    /** The rows of the append-only tables written in the old place while the switch reached every node. */
    private Future<Void> catchUp() {
      Future<Void> chain = Future.succeededFuture();
      for (TenantRows.Table table : tables) {
        if (APPEND_ONLY_DURING_PAUSE.contains(table.name())) {
          chain = chain.compose(v -> destinationRows.ids(table)
              .compose(known -> sourceRows.readMissing(table, known, batch -> destinationRows.insert(table, batch)))
              .map(n -> {
                progress.put("caughtUp", n);
                return (Void) null;
              }));
        }
      }
      return chain;
    }

    /**
     * Every table has equal counts and checksums in both places. The append-only ones are checked only when
     * {@code all}, after the switch: every row of the old place must then be in the new one, unchanged (the new one
     * already has more, the audit of reads since the switch).
     */
    private Future<Void> verify(boolean all) {
      List<Future<Void>> checks = new ArrayList<>();
      JsonObject verified = new JsonObject();
      for (TenantRows.Table table : tables) {
        if (APPEND_ONLY_DURING_PAUSE.contains(table.name())) {
          if (all) {
            checks.add(sourceRows.ids(table).compose(ids -> Future.all(sourceRows.tally(table),
                destinationRows.tallyOf(table, ids))).compose(both -> {
                  TenantRows.Tally a = both.resultAt(0);
                  verified.put(table.name(), a.rows());
                  return a.equals(both.resultAt(1)) ? Future.succeededFuture()
                      : Future.failedFuture(new IllegalStateException("table " + table.name()
                          + " lacks rows of the old place after the switch"));
                }));
          }
          continue;
        }
        checks.add(Future.all(sourceRows.tally(table), destinationRows.tally(table)).compose(both -> {
          TenantRows.Tally a = both.resultAt(0);
          TenantRows.Tally b = both.resultAt(1);
          verified.put(table.name(), a.rows());
          return a.equals(b) ? Future.succeededFuture()
              : Future.failedFuture(new IllegalStateException("table " + table.name() + " differs after the copy"));
        }));
      }
      return Future.all(checks).map(v -> {
        progress.put("verifiedRows", verified);
        return (Void) null;
      });
    }

    /** Removes the old copy and checks nothing of the tenant is left there. */
    private Future<Void> clean() {
      if (from.tier() != IsolationTier.SHARED) {
        closeSource();
        return places.drop(from).map(v -> {
          progress.put("oldCopy", "dropped");
          return (Void) null;
        });
      }
      return sourceRows.deleteAll(tables).compose(deleted -> {
        progress.put("oldRowsDeleted", deleted);
        List<Future<TenantRows.Tally>> left = new ArrayList<>();
        tables.forEach(table -> left.add(sourceRows.tally(table)));
        return Future.all(left).compose(v -> left.stream().allMatch(t -> t.result().rows() == 0)
            ? Future.succeededFuture()
            : Future.failedFuture(new IllegalStateException("rows of the tenant remain in the old place")));
      });
    }

    private Future<Void> settle() {
      return placements.refresh().transform(refreshed -> TenantJobs.after(vertx, settle));
    }

    private Future<Void> step(String step) {
      return controlPlane.pool().preparedQuery(STEP).execute(Tuple.of(id, step, progress.copy())).mapEmpty();
    }

    private Future<Void> heartbeat() {
      return controlPlane.pool().preparedQuery(STEP).execute(Tuple.of(id, "copy", progress.copy())).mapEmpty();
    }

    private Future<Integer> update(String sql, Tuple args) {
      return controlPlane.pool().preparedQuery(sql).execute(args).map(rows -> rows.rowCount());
    }

    private void finish(Throwable failure) {
      if (failure == null) {
        LOG.info("tier move {} succeeded", id);
      } else {
        LOG.warn("tier move {} failed: {}", id, TenantJobs.reason(failure));
      }
      String reason = failure == null ? null : safeReason(failure);
      controlPlane.pool().preparedQuery(FINISH).execute(Tuple.of(id, failure == null ? "succeeded" : "failed",
          failure == null ? "done" : "stopped", progress.copy(), reason))
          .onFailure(e -> LOG.warn("tier move {} could not record its end", id));
    }

    private String safeReason(Throwable failure) {
      String what = TenantJobs.reason(failure);
      return failure instanceof IllegalStateException ? what
          : (switched ? "failed after the switch: " : "failed before the switch, nothing changed: ") + what;
    }

    private void closeSource() {
      if (sourceRows != null) {
        sourceRows.close();
        sourceRows = null;
      }
    }

    private Future<Void> closePools() {
      List<Future<Void>> closing = new ArrayList<>();
      if (sourceRows != null) {
        closing.add(sourceRows.close());
      }
      if (destinationRows != null) {
        closing.add(destinationRows.close());
      }
      return Future.join(closing).mapEmpty();
    }

  }

}
