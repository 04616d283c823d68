package io.caduceus.api.connector;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Provenance rows of imported records (and the records the model holds no table for), and external identifiers. */
final class ImportedRecords {

  /** Where a remote resource went, and which remote version it was. */
  record Provenance(UUID id, UUID patientId, String versionId, OffsetDateTime lastUpdated) {

    /** Whether the remote resource is the version already imported. */
    boolean sameVersion(String otherVersion, OffsetDateTime otherUpdated) {
      if (versionId != null && otherVersion != null) {
        return versionId.equals(otherVersion);
      }
      return lastUpdated != null && otherUpdated != null && lastUpdated.isEqual(otherUpdated);
    }
  }

  /** A remote resource, as it is imported. */
  record Remote(UUID connectorId, String type, String remoteId, String versionId, OffsetDateTime lastUpdated) {
  }

  Future<Optional<Provenance>> find(SqlConnection conn, UUID connectorId, String type, String remoteId) {
    return conn.preparedQuery(ConnectorSql.RECORD_FIND).execute(Tuple.of(connectorId, type, remoteId))
        .map(rows -> Rows.optional(rows, row -> new Provenance(row.getUUID("id"), row.getUUID("patient_id"),
            row.getString("version_id"), row.getOffsetDateTime("last_updated"))));
  }

  Future<Void> insert(SqlConnection conn, TenantContext ctx, Remote remote, UUID id, UUID patientId,
                      JsonObject resource) {
    return conn.preparedQuery(ConnectorSql.RECORD_INSERT).execute(tuple(ctx.tenantId().value(),
        remote.connectorId(), remote.type(), remote.remoteId(), remote.versionId(),
        remote.lastUpdated(), id, patientId, resource)).mapEmpty();
  }

  Future<Void> update(SqlConnection conn, Remote remote, UUID patientId, JsonObject resource) {
    return conn.preparedQuery(ConnectorSql.RECORD_UPDATE).execute(tuple(remote.connectorId(),
        remote.type(), remote.remoteId(), remote.versionId(), remote.lastUpdated(), patientId,
        (resource))).mapEmpty();
  }

  Future<List<JsonObject>> ofPatient(SqlConnection conn, UUID patientId) {
    return conn.preparedQuery(ConnectorSql.RECORDS_OF_PATIENT).execute(Tuple.of(patientId))
        .map(rows -> Rows.list(rows, ImportedRecords::json));
  }

  Future<Optional<UUID>> patientByIdentifier(SqlConnection conn, String system, byte[] index) {
    return conn.preparedQuery(ConnectorSql.IDENTIFIER_FIND).execute(Tuple.of(system, Buffer.buffer(index)))
        .map(rows -> Rows.optional(rows, row -> row.getUUID("patient_id")));
  }

  Future<Void> addIdentifier(SqlConnection conn, TenantContext ctx, String system, byte[] index, UUID patientId) {
    return conn.preparedQuery(ConnectorSql.IDENTIFIER_INSERT).execute(Tuple.of(ctx.tenantId().value(), system,
        Buffer.buffer(index), patientId)).mapEmpty();
  }

  /** A tuple whose values may be null (a remote resource need not carry a versionId or lastUpdated). */
  private static Tuple tuple(Object... values) {
    return Tuple.wrap(Arrays.asList(values));
  }

  private static JsonObject json(Row row) {
    JsonObject json = new JsonObject().put("id", row.getUUID("id").toString())
        .put("connectorId", row.getUUID("connector_id").toString()).put("resourceType", row.getString("resource_type"))
        .put("remoteId", row.getString("remote_id")).put("resource", row.getJsonObject("resource"))
        .put("importedAt", row.getOffsetDateTime("imported_at").toInstant().toString())
        .put("updatedAt", row.getOffsetDateTime("updated_at").toInstant().toString());
    if (row.getString("version_id") != null) {
      json.put("versionId", row.getString("version_id"));
    }
    if (row.getOffsetDateTime("last_updated") != null) {
      json.put("lastUpdated", row.getOffsetDateTime("last_updated").toInstant().toString());
    }
    return json;
  }
}
