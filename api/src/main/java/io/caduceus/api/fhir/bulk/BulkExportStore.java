package io.caduceus.api.fhir.bulk;

import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * What a run writes, each under the tenant's scope in a transaction of its own: its beat (refused once the job is no
 * longer the run's, which stops it), each file together with a beat (so a cancelled job gains no file), and the end.
 */
final class BulkExportStore {

  private final TenantDb db;
  private final BulkExportRepository repo;
  private final Duration keep;

  BulkExportStore(TenantDb db, BulkExportRepository repo, Duration keep) {
    this.db = db;
    this.repo = repo;
    this.keep = keep;
  }

  /** Records the run's progress; fails with {@code Superseded} when the job is no longer the run's. */
  Future<Void> beat(TenantContext ctx, BulkJob job, String progress) {
    return db.inTenant(ctx, conn -> repo.beat(conn, job.id(), job.attempt(), progress).compose(BulkExportStore::mine));
  }

  Future<Void> file(TenantContext ctx, BulkJob job, String type, boolean error, int seq, int lines, String content,
                    List<UUID> patients) {
    return db.inTenant(ctx, conn -> repo.beat(conn, job.id(), job.attempt(), type + ": writing file " + seq)
        .compose(BulkExportStore::mine)
        .compose(v -> repo.insertFile(conn, job.id(), type, error, seq, lines, content, patients)));
  }

  Future<Void> complete(TenantContext ctx, BulkJob job) {
    return db.inTenant(ctx, conn -> repo.complete(conn, job.id(), job.attempt(), keep.toSeconds())
        .compose(BulkExportStore::mine));
  }

  /** Starts a run again from nothing: the files of the run it takes over are deleted. */
  Future<Void> restart(TenantContext ctx, BulkJob job) {
    return db.inTenant(ctx, conn -> repo.deleteFiles(conn, job.id()));
  }

  private static Future<Void> mine(boolean current) {
    return current ? Future.succeededFuture() : Future.failedFuture(new BulkExportRun.Superseded());
  }
}
