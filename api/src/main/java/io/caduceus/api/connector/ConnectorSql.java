package io.caduceus.api.connector;

/** The statements of connectors and their import jobs. */
final class ConnectorSql {

  private ConnectorSql() {
  }

  private static final String COLUMNS = """
      id, name, base_url, auth_type, auth, secret_sealed, checkpoint, version, created_at, updated_at""";

  static final String INSERT = """
      INSERT INTO ehr_connector (tenant_id, id, name, base_url, auth_type, auth, secret_sealed, created_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      RETURNING\s""" + COLUMNS;

  static final String FIND = "SELECT " + COLUMNS + " FROM ehr_connector WHERE id = $1";

  static final String LIST = "SELECT " + COLUMNS + " FROM ehr_connector ORDER BY created_at, id LIMIT 200";

  static final String UPDATE = """
      UPDATE ehr_connector
      SET name = $2, base_url = $3, auth_type = $4, auth = $5, secret_sealed = $6, version = version + 1,
        updated_at = now()
      WHERE id = $1
      RETURNING\s""" + COLUMNS;

  static final String DELETE = "DELETE FROM ehr_connector WHERE id = $1";

  static final String ADVANCE_CHECKPOINT = """
      UPDATE ehr_connector SET checkpoint = GREATEST(checkpoint, $2) WHERE id = $1""";

  private static final String JOB_COLUMNS = """
      id, connector_id, status, full_sync, since, counts, errors, failure, started_at, heartbeat_at, finished_at""";

  static final String JOB_INSERT = """
      INSERT INTO ehr_import_job (tenant_id, id, connector_id, status, full_sync, since, started_by)
      VALUES ($1, $2, $3, 'running', $4, $5, $6)
      RETURNING\s""" + JOB_COLUMNS;

  static final String JOB_FIND = "SELECT " + JOB_COLUMNS + " FROM ehr_import_job WHERE id = $1 AND connector_id = $2";

  static final String JOB_PROGRESS = """
      UPDATE ehr_import_job SET counts = $2, errors = $3, heartbeat_at = now()
      WHERE id = $1 AND status = 'running'""";

  static final String JOB_FINISH = """
      UPDATE ehr_import_job SET status = $2, counts = $3, errors = $4, failure = $5, heartbeat_at = now(),
        finished_at = now()
      WHERE id = $1 AND status = 'running'""";

  /** Jobs whose heartbeat stopped: their node stopped or restarted while they ran. */
  static final String JOB_INTERRUPT_STALE = """
      UPDATE ehr_import_job SET status = 'interrupted', failure = 'the job stopped (its node restarted)',
        finished_at = now()
      WHERE connector_id = $1 AND status = 'running' AND heartbeat_at < now() - make_interval(secs => $2)""";

  static final String RECORD_FIND = """
      SELECT id, patient_id, version_id, last_updated FROM ehr_import_record
      WHERE connector_id = $1 AND resource_type = $2 AND remote_id = $3""";

  static final String RECORD_INSERT = """
      INSERT INTO ehr_import_record (tenant_id, connector_id, resource_type, remote_id, version_id, last_updated, id,
        patient_id, resource)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""";

  static final String RECORD_UPDATE = """
      UPDATE ehr_import_record SET version_id = $4, last_updated = $5, patient_id = $6, resource = $7,
        version = version + 1, updated_at = now()
      WHERE connector_id = $1 AND resource_type = $2 AND remote_id = $3""";

  static final String RECORDS_OF_PATIENT = """
      SELECT id, connector_id, resource_type, remote_id, version_id, last_updated, resource, imported_at, updated_at
      FROM ehr_import_record
      WHERE patient_id = $1 AND resource_type <> 'Patient'
      ORDER BY resource_type, imported_at, id
      LIMIT 500""";

  static final String IDENTIFIER_FIND = """
      SELECT patient_id FROM patient_external_identifier WHERE system = $1 AND value_index = $2""";

  static final String IDENTIFIER_INSERT = """
      INSERT INTO patient_external_identifier (tenant_id, system, value_index, patient_id)
      VALUES ($1, $2, $3, $4)
      ON CONFLICT DO NOTHING""";
}
