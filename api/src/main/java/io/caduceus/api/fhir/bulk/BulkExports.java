package io.caduceus.api.fhir.bulk;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.TooManyRequests;
import io.caduceus.api.fhir.FhirModel;
import io.caduceus.api.fhir.FhirType;
import io.caduceus.api.fhir.FhirTypes;
import io.caduceus.api.organisation.GroupsInForce;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.Timestamps;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Bulk Data export jobs: kick-off, status, cancel and files for their requester only (anyone else, of the tenant or
 * not, finds nothing), runs in the background as the requester, and the sweep that deletes expired exports and takes
 * over runs that stopped beating (a node that died): each is run again from nothing, and after
 * {@value #MAX_ATTEMPTS} attempts it ends with an error instead, so no job stays running.
 */
public final class BulkExports {

  private static final Logger LOG = LoggerFactory.getLogger(BulkExports.class);
  /** A run that has not beaten for this long is taken to be dead. */
  static final Duration STALE = Duration.ofMinutes(2);
  static final int MAX_ATTEMPTS = 3;
  private static final UUID SWEEPER = new UUID(0, 14);
  /** How long a kick-off refused for the running exports is told to wait. */
  static final long BUSY_RETRY_SECONDS = 10;

  private final Vertx vertx;
  private final TenantDb db;
  private final FhirModel model;
  private final FhirTypes registry;
  private final BulkGroupFhir group;
  private final BulkExportRepository repo = new BulkExportRepository();
  private final GroupsInForce groups;
  private final BulkExportStore store;
  private final Set<String> regions;
  private final BulkLimits limits;

  public BulkExports(Vertx vertx, TenantDb db, FhirModel model, FhirTypes registry, BulkGroupFhir group,
                     Set<String> regions, Duration keep, BulkLimits limits) {
    this.vertx = vertx;
    this.db = db;
    this.model = model;
    this.registry = registry;
    this.group = group;
    this.regions = Set.copyOf(regions);
    this.limits = limits;
    this.store = new BulkExportStore(db, repo, keep);
    this.groups = new GroupsInForce(db);
  }

  /**
   * Records a kick-off checked by {@link BulkKickOff} and starts its run once it is committed; 429 while the tenant or
   * the requester already runs as many exports as allowed (kick-offs of a tenant are serialised, so two at once
   * cannot both take the last slot).
   */
  public Future<BulkJob> start(TenantContext ctx, BulkKickOff request) {
    UUID id = UuidV7.next();
    ctx.audit().about(id);
    return db.inTenant(ctx, conn -> repo.lockKickOffs(conn)
            .compose(v -> repo.insert(conn, id, ctx.userId(), request.level(), request.groupId(), request.types(),
                request.since(), request.url(), BulkJob.actorOf(ctx, id), limits))
            .map(job -> job.orElseThrow(() -> new TooManyRequests("at most " + limits.activePerTenant()
                + " exports may run at once in a tenant, and " + limits.activePerRequester()
                + " per requester; retry when one has completed or is cancelled", BUSY_RETRY_SECONDS)))
            .compose(job -> groups.pin(conn, ctx, id).map(job)))
        .onSuccess(job -> launch(job, job.context(ctx.tenantId())));
  }

  /** The requester's job; NotFound for anyone else's. */
  public Future<BulkJob> job(TenantContext ctx, UUID id) {
    ctx.audit().about(id);
    return Access.check(ctx, Permission.PATIENT_READ).compose(v -> db.once(ctx, conn -> repo.find(conn, id, ctx.userId())))
        .map(found -> found.orElseThrow(() -> new NotFound("no such export")));
  }

  /** The files of a completed job of the requester's. */
  public Future<List<BulkExportRepository.FileEntry>> files(TenantContext ctx, BulkJob job) {
    return db.once(ctx, conn -> repo.files(conn, job.id()));
  }

  /** Cancels the requester's job (running or not) and deletes its files; a run under way stops at its next beat. */
  public Future<Void> cancel(TenantContext ctx, UUID id) {
    ctx.audit().about(id);
    return Access.check(ctx, Permission.PATIENT_READ)
        .compose(v -> db.inTenant(ctx, conn -> repo.delete(conn, id, ctx.userId())
            .compose(deleted -> deleted ? groups.unpin(conn, List.of(id)).map(true) : Future.succeededFuture(false))))
        .compose(deleted -> deleted ? Future.succeededFuture() : Future.failedFuture(new NotFound("no such export")));
  }

  /** A file of the requester's unexpired export, audited with the patients it holds when they were listed. */
  public Future<String> file(TenantContext ctx, UUID fileId) {
    return Access.check(ctx, Permission.PATIENT_READ)
        .compose(v -> db.once(ctx, conn -> repo.file(conn, fileId, ctx.userId())))
        .map(found -> {
          BulkExportRepository.FileContent file = found.orElseThrow(() -> new NotFound("no such file"));
          ctx.audit().about(file.jobId());
          if (file.patients() != null) {
            ctx.audit().patients(file.patients());
          }
          return file.content();
        });
  }

  /** The types an export of a level can hold, by name: every searchable type, or the patient compartment's. */
  public Map<String, FhirType> exportable(String level) {
    Map<String, FhirType> out = new LinkedHashMap<>();
    for (FhirType type : registry.all()) {
      boolean searchable = type.interactions().contains(FhirType.Interaction.SEARCH);
      if (searchable && ("system".equals(level) || "Patient".equals(type.name())
          || type.searchParameterNames().contains("patient"))) {
        out.put(type.name(), type);
      }
    }
    if ("system".equals(level)) {
      out.put(group.name(), group);
    }
    return out;
  }

  /**
   * Deletes the exports expired at {@code now} and takes over the runs that stopped beating, in every tenant of
   * the regions this node serves; answers how many tenants had work.
   */
  public Future<Integer> sweep(Instant now) {
    Future<Integer> total = Future.succeededFuture(0);
    for (String region : regions) {
      total = total.compose(n -> db.scan("bulk-export", region, BulkExportSql.DUE_TENANTS,
              Tuple.of(Timestamps.utc(now), Timestamps.utc(now.minus(STALE))))
          .compose(rows -> sweepTenants(region, rows, now)).map(m -> n + m));
    }
    return total;
  }

  private Future<Integer> sweepTenants(String region, List<Row> rows, Instant now) {
    Future<Integer> done = Future.succeededFuture(0);
    for (Row row : rows) {
      TenantId tenant = new TenantId(row.getUUID("tenant_id"));
      TenantContext scope = TenantContext.system(tenant, region, IsolationTier.SHARED, SWEEPER, Set.of(),
          "bulk-export-sweep");
      done = done.compose(n -> db.inTenant(scope, conn -> repo.deleteExpired(conn, now)
              .compose(deleted -> groups.unpin(conn, deleted))
              .compose(v -> repo.takeOver(conn, now.minus(STALE))))
          .map(jobs -> {
            jobs.forEach(job -> resume(job, job.context(tenant)));
            return n + 1;
          })
          .recover(e -> {
            LOG.warn("a tenant's export sweep failed: {}", e.getClass().getSimpleName());
            return Future.succeededFuture(n);
          }));
    }
    return done;
  }

  private void resume(BulkJob job, TenantContext ctx) {
    if (job.attempt() > MAX_ATTEMPTS) {
      new BulkExportRun(store, model, vertx, job, ctx, exportable(job.level()), limits).fail("the export failed "
              + MAX_ATTEMPTS + " times")
          .onFailure(e -> LOG.warn("an export could not be ended: {}", e.getClass().getSimpleName()));
      return;
    }
    store.restart(ctx, job).onSuccess(v -> launch(job, ctx))
        .onFailure(e -> LOG.warn("an export could not be restarted: {}", e.getClass().getSimpleName()));
  }

  private void launch(BulkJob job, TenantContext ctx) {
    new BulkExportRun(store, model, vertx, job, ctx, exportable(job.level()), limits).run().onFailure(e -> {
      if (!(e instanceof BulkExportRun.Superseded)) {
        // Left running: the sweep takes it over once its beat is stale, and ends it after the last attempt.
        LOG.warn("an export run failed: {}", e.getClass().getSimpleName());
      }
    });
  }
}
