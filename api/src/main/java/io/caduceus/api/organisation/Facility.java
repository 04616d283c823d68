package io.caduceus.api.organisation;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/** A site of the tenant: its address and, when it differs from the tenant's, its own IANA time zone. */
public record Facility(UUID id, String name, JsonObject address, String timeZone, String status, int version,
                       Instant createdAt, Instant updatedAt) implements GroupTable.Named {

  /** Maps a row of {@link OrganisationSql#FACILITY_COLUMNS}. */
  static Facility fromRow(Row row) {
    return new Facility(row.getUUID("id"), row.getString("name"), row.getJsonObject("address"),
        row.getString("time_zone"), row.getString("status"), row.getInteger("version"),
        row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
  }

  /** The contract's {@code Facility}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("name", name).put("address", address)
        .put("status", status).put("version", version).put("createdAt", createdAt.toString())
        .put("updatedAt", updatedAt.toString());
    if (timeZone != null) {
      json.put("timeZone", timeZone);
    }
    return json;
  }
}
