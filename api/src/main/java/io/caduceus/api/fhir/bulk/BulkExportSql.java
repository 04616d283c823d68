package io.caduceus.api.fhir.bulk;

/** Bulk export's SQL, in one place. Every statement runs under the tenant's row-level security. */
final class BulkExportSql {

  static final String JOB_COLUMNS = """
      id, owner_id, level, group_id, types, since, request_url, actor, state, progress, attempt, transaction_time,
      heartbeat_at, expires_at""";

  /**
   * Serialises the tenant's kick-offs until the transaction ends, so that the count {@link #INSERT_JOB} takes (a
   * statement of its own, whose snapshot is taken after the lock) sees every job committed before it.
   */
  static final String LOCK_KICK_OFFS = """
      SELECT pg_advisory_xact_lock(hashtextextended('bulk_export_job:' || current_setting('app.tenant_id'), 0))""";

  /** A running job, unless the tenant already runs $9 jobs or its owner ($2) $10: then no row. */
  static final String INSERT_JOB = """
      INSERT INTO bulk_export_job (tenant_id, id, owner_id, level, group_id, types, since, request_url, actor, state)
      SELECT current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5, $6, $7, $8, 'running'
      WHERE (SELECT count(*) FROM bulk_export_job WHERE state = 'running') < $9
        AND (SELECT count(*) FROM bulk_export_job WHERE state = 'running' AND owner_id = $2) < $10
      RETURNING\s""" + JOB_COLUMNS;

  /** An unexpired job of its owner ($2); another actor's is not found. */
  static final String FIND_JOB = "SELECT " + JOB_COLUMNS + " FROM bulk_export_job"
      + " WHERE id = $1 AND owner_id = $2 AND (expires_at IS NULL OR expires_at > now())";

  /** The run holding attempt $2 is still the job's run: it records its progress ($3) and beats. */
  static final String BEAT = """
      UPDATE bulk_export_job SET progress = $3, heartbeat_at = now()
      WHERE id = $1 AND attempt = $2 AND state = 'running' RETURNING id""";

  /** The run holding attempt $2 ends the job; its files stay until $3 (seconds from now). */
  static final String COMPLETE = """
      UPDATE bulk_export_job SET state = 'completed', progress = 'completed', finished_at = now(),
        expires_at = now() + make_interval(secs => $3)
      WHERE id = $1 AND attempt = $2 AND state = 'running' RETURNING id""";

  static final String INSERT_FILE = """
      INSERT INTO bulk_export_file (tenant_id, id, job_id, resource_type, is_error, seq, line_count, content,
        patient_ids)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5, $6, $7, $8)""";

  /** The files of a job, without their content, in the order written. */
  static final String FILES = """
      SELECT id, resource_type, is_error, line_count FROM bulk_export_file WHERE job_id = $1 ORDER BY seq""";

  /** A file of an unexpired job of its owner ($2). */
  static final String FIND_FILE = """
      SELECT f.job_id, f.content, f.patient_ids FROM bulk_export_file f
      JOIN bulk_export_job j ON j.tenant_id = f.tenant_id AND j.id = f.job_id
      WHERE f.id = $1 AND j.owner_id = $2 AND j.state = 'completed' AND j.expires_at > now()""";

  /** Deletes a job of its owner ($2), and so its files. */
  static final String DELETE_JOB = "DELETE FROM bulk_export_job WHERE id = $1 AND owner_id = $2 RETURNING id";

  /** Deletes the files a former run of a job wrote. */
  static final String DELETE_FILES = "DELETE FROM bulk_export_file WHERE job_id = $1";

  /** Deletes the tenant's jobs expired at $1, and so their files. */
  static final String DELETE_EXPIRED = "DELETE FROM bulk_export_job WHERE expires_at <= $1 RETURNING id";

  /** Takes over the runs that stopped beating before $1: each gets a new attempt. */
  static final String TAKE_OVER = """
      UPDATE bulk_export_job SET attempt = attempt + 1, heartbeat_at = now(), progress = 'restarted'
      WHERE state = 'running' AND heartbeat_at < $1 RETURNING\s""" + JOB_COLUMNS;

  /** The tenants with due sweep work ($1 now, $2 the stale heartbeat bound); run across tenants. */
  static final String DUE_TENANTS = "SELECT {schema}.bulk_export_due_tenants($1, $2) AS tenant_id";

  private BulkExportSql() {
  }
}
