package io.caduceus.api.tiers;

import io.caduceus.api.access.Permission;
import io.caduceus.api.access.StepUp;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The background jobs that write or read a tenant archive ({@link TenantExports}, {@link TenantOffboarding},
 * {@link TenantImports}): each is started, followed and finished in {@code tenant_job}, and its archive is kept
 * under the node's data directory, readable only by the server's user. Archives hold PHI: keep that directory on
 * encrypted storage, and delete an archive once it has been handed over.
 */
public final class ArchiveJobs {

  private static final Logger LOG = LoggerFactory.getLogger(ArchiveJobs.class);

  static final String COLUMNS = """
      id, tenant_id, kind, state, step, progress, archive, sha256, failure, started_at, finished_at""";
  static final String START = """
      INSERT INTO tenant_job (id, tenant_id, kind, state, step, requested_by)
      VALUES ($1, $2, $3, 'running', 'start', $4)
      RETURNING %s""".formatted(COLUMNS);
  static final String FIND = "SELECT " + COLUMNS + " FROM tenant_job WHERE id = $1";
  static final String FINISH = """
      UPDATE tenant_job
      SET state = $2, step = $3, progress = $4, failure = $5, archive = coalesce($6, archive),
        sha256 = coalesce($7, sha256), finished_at = now()
      WHERE id = $1""";

  private final Vertx vertx;
  private final ControlPlane controlPlane;
  private final TenantCatalog catalog;
  private final RegionRegistry regions;
  private final Path directory;

  public ArchiveJobs(Vertx vertx, ControlPlane controlPlane, TenantCatalog catalog, RegionRegistry regions,
                     Path directory) {
    this.vertx = vertx;
    this.controlPlane = controlPlane;
    this.catalog = catalog;
    this.regions = regions;
    this.directory = directory;
  }

  /** One job, for the platform owner or the tenant's own admin. */
  public Future<JsonObject> job(TenantContext ctx, TenantId tenantId, UUID jobId) {
    return mayExport(ctx, tenantId).compose(v -> findJob(tenantId, jobId)).map(TenantJobs::json);
  }

  /** Where a finished job's archive is, after checking the caller may have it; audited. */
  public Future<Path> archive(TenantContext ctx, TenantId tenantId, UUID jobId) {
    return mayExport(ctx, tenantId).compose(v -> findJob(tenantId, jobId)).map(row -> {
      if (row.getString("archive") == null || !"succeeded".equals(row.getString("state"))) {
        throw new NotFound("this job has no archive");
      }
      return directory.resolve(row.getString("archive"));
    });
  }

  /** The archive of a finished export or offboarding, for an import. */
  Future<Path> finishedArchive(UUID jobId) {
    return controlPlane.pool().preparedQuery(FIND).execute(Tuple.of(jobId)).map(rows -> {
      Row job = rows.size() == 0 ? null : rows.iterator().next();
      if (job == null || job.getString("archive") == null || !"succeeded".equals(job.getString("state"))) {
        throw new NotFound("no finished export or offboarding with an archive has this id");
      }
      return directory.resolve(job.getString("archive"));
    });
  }

  /**
   * Records a job of {@code kind} for the tenant and runs {@code work} in the background; the job as it started.
   * When the work ends the job is recorded as succeeded or failed, with the SHA-256 of any archive it wrote.
   */
  Future<JsonObject> start(TenantContext ctx, Tenant tenant, String kind,
                           Function<ArchiveJob, Future<JsonObject>> work) {
    UUID id = UuidV7.next();
    return controlPlane.pool().preparedQuery(START).execute(Tuple.of(id, tenant.id().value(), kind, ctx.userId()))
        .recover(e -> Future.failedFuture(ConstraintViolation.of(e, "tenant_job_running")
            ? new Conflict("an import or offboarding of this tenant is already running") : e))
        .map(rows -> {
          ArchiveJob job = new ArchiveJob(id, controlPlane, directory);
          LOG.info("tenant {} job {} started", kind, id);
          work.apply(job)
              .compose(done -> job.archive == null ? Future.succeededFuture(done)
                  : vertx.executeBlocking(() -> TenantArchive.sha256(directory.resolve(job.archive)), true)
                  .map(sum -> {
                    job.sha256 = sum;
                    return done;
                  }))
              .onComplete(done -> finish(job, kind, done.failed() ? done.cause() : null));
          return TenantJobs.json(rows.iterator().next());
        });
  }

  /** The tenant, if this node serves its region. */
  Future<Tenant> tenant(TenantId id) {
    return catalog.findFresh(id).map(found -> {
      Tenant tenant = found.orElseThrow(() -> new NotFound("no such tenant"));
      if (!regions.serves(tenant.dataRegion())) {
        throw new Conflict("the tenant's region is served by other nodes; ask one of them");
      }
      return tenant;
    });
  }

  /** Exporting takes the platform owner, or a tenant admin of their own tenant. */
  static Future<Void> mayExport(TenantContext ctx, TenantId tenantId) {
    if (ctx.can(Permission.PLATFORM_TENANTS_MANAGE.key())
        || (ctx.can(Permission.TENANT_EXPORT.key()) && ctx.tenantId().equals(tenantId))) {
      return Future.succeededFuture();
    }
    if (StepUp.pending(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        || (StepUp.pending(ctx, Permission.TENANT_EXPORT) && ctx.tenantId().equals(tenantId))) {
      return Future.failedFuture(StepUp.required());
    }
    return Future.failedFuture(new Forbidden("exporting a tenant takes the platform owner or its own admin"));
  }

  /** Offboarding and importing take the platform owner. */
  static Future<Void> requirePlatform(TenantContext ctx) {
    return ctx.can(Permission.PLATFORM_TENANTS_MANAGE.key()) ? Future.succeededFuture()
        : Future.failedFuture(StepUp.pending(ctx, Permission.PLATFORM_TENANTS_MANAGE) ? StepUp.required()
            : new Forbidden("this takes the platform owner"));
  }


  private Future<Row> findJob(TenantId tenantId, UUID jobId) {
    return controlPlane.pool().preparedQuery(FIND).execute(Tuple.of(jobId)).map(rows -> {
      Row row = rows.size() == 0 ? null : rows.iterator().next();
      if (row == null || !row.getUUID("tenant_id").equals(tenantId.value())) {
        throw new NotFound("no such job");
      }
      return row;
    });
  }

  private void finish(ArchiveJob job, String kind, Throwable failure) {
    if (failure == null) {
      LOG.info("tenant {} job {} succeeded", kind, job.id);
    } else {
      LOG.warn("tenant {} job {} failed: {}", kind, job.id, TenantJobs.reason(failure));
    }
    controlPlane.pool().preparedQuery(FINISH).execute(Tuple.from(new Object[] {job.id,
            failure == null ? "succeeded" : "failed", failure == null ? "done" : "stopped", job.progress.copy(),
            failure == null ? null : TenantJobs.reason(failure), job.archive, job.sha256}))
        .onFailure(e -> LOG.warn("tenant {} job {} could not record its end", kind, job.id));
  }
}
