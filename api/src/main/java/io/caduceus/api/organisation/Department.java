package io.caduceus.api.organisation;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/** A department or service line inside a facility. */
public record Department(UUID id, UUID facilityId, String name, String kind, String status, int version,
                         Instant createdAt, Instant updatedAt) implements GroupTable.Named {

  /** Maps a row of {@link OrganisationSql#DEPARTMENT_COLUMNS}. */
  static Department fromRow(Row row) {
    return new Department(row.getUUID("id"), row.getUUID("facility_id"), row.getString("name"),
        row.getString("kind"), row.getString("status"), row.getInteger("version"),
        row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
  }

  /** The contract's {@code Department}. */
  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("facilityId", facilityId.toString()).put("name", name)
        .put("kind", kind).put("status", status).put("version", version).put("createdAt", createdAt.toString())
        .put("updatedAt", updatedAt.toString());
  }
}
