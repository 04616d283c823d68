package io.caduceus.api.fhir.bulk;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Export jobs and their files, on a connection {@code TenantDb} opened for the tenant. */
final class BulkExportRepository {

  /** A file as the manifest lists it. */
  record FileEntry(UUID id, String type, boolean error, int count) {
  }

  /** A file's content and the patients it holds (null: too many to list). */
  record FileContent(UUID jobId, String content, List<UUID> patients) {
  }

  /** Waits until no other kick-off of the tenant is under way (until this transaction ends). */
  Future<Void> lockKickOffs(SqlConnection conn) {
    return conn.preparedQuery(BulkExportSql.LOCK_KICK_OFFS).execute().mapEmpty();
  }

  /** The new running job; empty when the tenant or the owner already runs as many jobs as {@code limits} allow. */
  Future<Optional<BulkJob>> insert(SqlConnection conn, UUID id, UUID owner, String level, UUID groupId,
                                   List<String> types, Instant since, String requestUrl, JsonObject actor,
                                   BulkLimits limits) {
    return conn.preparedQuery(BulkExportSql.INSERT_JOB).execute(Tuple.from(new Object[] {id, owner, level, groupId,
            types.toArray(String[]::new), since == null ? null : Timestamps.utc(since), requestUrl, actor,
            (long) limits.activePerTenant(), (long) limits.activePerRequester()}))
        .map(rows -> Rows.optional(rows, BulkJob::fromRow));
  }

  Future<Optional<BulkJob>> find(SqlConnection conn, UUID id, UUID owner) {
    return conn.preparedQuery(BulkExportSql.FIND_JOB).execute(Tuple.of(id, owner))
        .map(rows -> Rows.optional(rows, BulkJob::fromRow));
  }

  /** Whether the run of {@code attempt} is still the job's (not cancelled, expired or taken over). */
  Future<Boolean> beat(SqlConnection conn, UUID id, int attempt, String progress) {
    return conn.preparedQuery(BulkExportSql.BEAT).execute(Tuple.of(id, attempt, progress))
        .map(rows -> rows.rowCount() == 1);
  }

  Future<Boolean> complete(SqlConnection conn, UUID id, int attempt, long keepSeconds) {
    return conn.preparedQuery(BulkExportSql.COMPLETE).execute(Tuple.of(id, attempt, (double) keepSeconds))
        .map(rows -> rows.rowCount() == 1);
  }

  Future<Void> insertFile(SqlConnection conn, UUID jobId, String type, boolean error, int seq, int lines,
                          String content, List<UUID> patients) {
    return conn.preparedQuery(BulkExportSql.INSERT_FILE).execute(Tuple.from(new Object[] {
        UUID.randomUUID(), jobId, type, error, seq, lines, content,
        patients == null ? null : patients.toArray(UUID[]::new)})).mapEmpty();
  }

  Future<List<FileEntry>> files(SqlConnection conn, UUID jobId) {
    return conn.preparedQuery(BulkExportSql.FILES).execute(Tuple.of(jobId)).map(rows -> Rows.list(rows,
        r -> new FileEntry(r.getUUID("id"), r.getString("resource_type"), r.getBoolean("is_error"),
            r.getInteger("line_count"))));
  }

  Future<Optional<FileContent>> file(SqlConnection conn, UUID fileId, UUID owner) {
    return conn.preparedQuery(BulkExportSql.FIND_FILE).execute(Tuple.of(fileId, owner))
        .map(rows -> Rows.optional(rows, BulkExportRepository::content));
  }

  private static FileContent content(Row row) {
    UUID[] patients = row.getArrayOfUUIDs("patient_ids");
    return new FileContent(row.getUUID("job_id"), row.getString("content"),
        patients == null ? null : List.of(patients));
  }

  Future<Boolean> delete(SqlConnection conn, UUID id, UUID owner) {
    return conn.preparedQuery(BulkExportSql.DELETE_JOB).execute(Tuple.of(id, owner)).map(rows -> rows.rowCount() == 1);
  }

  Future<Void> deleteFiles(SqlConnection conn, UUID jobId) {
    return conn.preparedQuery(BulkExportSql.DELETE_FILES).execute(Tuple.of(jobId)).mapEmpty();
  }

  /** Deletes the jobs expired at {@code now}; answers their ids. */
  Future<List<UUID>> deleteExpired(SqlConnection conn, Instant now) {
    return conn.preparedQuery(BulkExportSql.DELETE_EXPIRED).execute(Tuple.of(Timestamps.utc(now)))
        .map(rows -> Rows.list(rows, row -> row.getUUID("id")));
  }

  Future<List<BulkJob>> takeOver(SqlConnection conn, Instant staleBefore) {
    return conn.preparedQuery(BulkExportSql.TAKE_OVER).execute(Tuple.of(Timestamps.utc(staleBefore)))
        .map(rows -> Rows.list(rows, BulkJob::fromRow));
  }
}
