package io.caduceus.api.connector;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/**
 * A Condition, Observation or MedicationRequest imported from a connector, as held: the stored FHIR JSON (its subject
 * already ours), where it came from (the connector's base URL, null once the connector is deleted; the remote id,
 * versionId and lastUpdated), the version of our copy, and when it came and last changed here.
 */
public record ImportedResource(UUID id, UUID patientId, UUID connectorId, String sourceUrl, String type,
                               String remoteId, String remoteVersion, Instant remoteUpdated, JsonObject resource,
                               int version, Instant importedAt, Instant updatedAt) {

  /** A row of {@link ImportedResourceSql}. */
  static ImportedResource fromRow(Row row) {
    return new ImportedResource(row.getUUID("id"), row.getUUID("patient_id"), row.getUUID("connector_id"),
        row.getString("base_url"), row.getString("resource_type"), row.getString("remote_id"),
        row.getString("version_id"), instant(row, "last_updated"), row.getJsonObject("resource"),
        row.getInteger("version"), instant(row, "imported_at"), instant(row, "updated_at"));
  }

  private static Instant instant(Row row, String column) {
    return row.getOffsetDateTime(column) == null ? null : row.getOffsetDateTime(column).toInstant();
  }
}
