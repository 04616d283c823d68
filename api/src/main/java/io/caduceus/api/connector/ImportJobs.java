package io.caduceus.api.connector;

import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.fhir.FhirModel;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.UUID;

/**
 * Import jobs: started by a tenant admin, run in the background on this node through {@code TenantDb} (so under the
 * tenant's bulkhead), their progress written after every page. A job whose heartbeat stopped for two minutes (its
 * node stopped) is marked interrupted when its connector is next used.
 */
public final class ImportJobs {

  private static final Logger LOG = LoggerFactory.getLogger(ImportJobs.class);
  /** A running job writes its heartbeat after every page; one silent this long is no longer running anywhere. */
  static final int STALE_SECONDS = 120;

  private final TenantDb db;
  private final TenantKeyring keyring;
  private final ConnectorService connectors;
  private final FhirModel model;
  private final RemoteFhir remote;
  private final ImportRun run;
  private final ConnectorRepository repo = new ConnectorRepository();

  ImportJobs(TenantDb db, TenantKeyring keyring, ConnectorService connectors, FhirModel model,
                    RemoteFhir remote, ResourceImport resources) {
    this.db = db;
    this.keyring = keyring;
    this.connectors = connectors;
    this.model = model;
    this.remote = remote;
    this.run = new ImportRun(remote, resources);
  }

  /** Starts an import of the connector (all of the remote's records when {@code full}, else since its checkpoint). */
  public Future<JsonObject> start(TenantContext ctx, UUID connectorId, boolean full) {
    UUID id = UuidV7.next();
    return connectors.find(ctx, connectorId).compose(connector -> db.inTenant(ctx, conn -> conn
            .preparedQuery(ConnectorSql.JOB_INTERRUPT_STALE).execute(Tuple.of(connectorId, STALE_SECONDS))
            .compose(v -> conn.preparedQuery(ConnectorSql.JOB_INSERT).execute(Tuple.of(ctx.tenantId().value(), id,
                connectorId, full, full ? null : connector.checkpoint(), ctx.userId()))))
            .map(rows -> ImportJob.fromRow(rows.iterator().next()))
            .recover(failure -> Future.failedFuture(ConstraintViolation.of(failure, "ehr_import_job_one_running")
                ? new Conflict("an import of this connector is running") : failure))
            .onSuccess(job -> background(ctx, connector, job)))
        .map(ImportJob::json);
  }

  /** A job of the connector, with its progress. */
  public Future<JsonObject> get(TenantContext ctx, UUID connectorId, UUID jobId) {
    return connectors.find(ctx, connectorId).compose(connector -> db.inTenant(ctx, conn -> conn
            .preparedQuery(ConnectorSql.JOB_INTERRUPT_STALE).execute(Tuple.of(connectorId, STALE_SECONDS))
            .compose(v -> conn.preparedQuery(ConnectorSql.JOB_FIND).execute(Tuple.of(jobId, connectorId)))))
        .map(rows -> Rows.optional(rows, ImportJob::fromRow).orElseThrow(() -> new NotFound("no such import")))
        .map(ImportJob::json);
  }

  /** Runs the job after the request has been answered, acting for its starter outside the request's audit record. */
  private void background(TenantContext requested, Connector connector, ImportJob job) {
    TenantContext ctx = TenantContext.system(requested.tenantId(), requested.region(), requested.tier(),
        requested.userId(), requested.permissions(), "ehr-import:" + job.id());
    ImportTally tally = new ImportTally();
    model.ready().compose(ready -> keyring.keys(ctx.tenantId()))
        .compose(keys -> remote.open(connector, keys.open(Connector.secretBinding(connector.id()),
                connector.secretSealed()))
            .compose(session -> run.run(new ImportRun.Walk(ctx, keys, model.context().newJsonParser(), session,
                connector, job.since() == null ? null : job.since().toInstant().toString(), tally,
                t -> progress(ctx, job.id(), t)))))
        .compose(v -> db.inTenant(ctx, conn -> (tally.checkpoint() == null ? Future.<Void>succeededFuture()
                : repo.advanceCheckpoint(conn, connector.id(), tally.checkpoint()))
            .compose(x -> finish(conn, job.id(), "succeeded", tally, null))))
        .recover(failure -> {
          String reason = failure instanceof TransportFailure ? failure.getMessage()
              : "the import stopped (" + failure.getClass().getSimpleName() + ")";
          LOG.warn("import {} of tenant {} failed: {}", job.id(), ctx.tenantId(), failure.getClass().getSimpleName());
          return db.inTenant(ctx, conn -> finish(conn, job.id(), "failed", tally, reason));
        })
        .onFailure(failure -> LOG.error("import {} could not record its end: {}", job.id(),
            failure.getClass().getSimpleName()));
  }

  private Future<Void> progress(TenantContext ctx, UUID jobId, ImportTally tally) {
    return db.inTenant(ctx, conn -> conn.preparedQuery(ConnectorSql.JOB_PROGRESS)
        .execute(Tuple.of(jobId, tally.counts(), tally.errors()))).mapEmpty();
  }

  private static Future<Void> finish(SqlConnection conn, UUID jobId, String status,
                                     ImportTally tally, String failure) {
    return conn.preparedQuery(ConnectorSql.JOB_FINISH)
        .execute(Tuple.wrap(Arrays.asList(jobId, status, tally.counts(), tally.errors(), failure)))
        .mapEmpty();
  }
}
