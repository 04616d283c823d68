package io.caduceus.api.room;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/** A physical room of one facility (an exam or procedure room), shared by the practitioners who work there. */
public record Room(UUID id, UUID facilityId, String name, String kind, String status, int version, Instant createdAt,
                   Instant updatedAt) {

  /** Maps a row of {@link RoomSql#COLUMNS}. */
  static Room fromRow(Row row) {
    return new Room(row.getUUID("id"), row.getUUID("facility_id"), row.getString("name"), row.getString("kind"),
        row.getString("status"), row.getInteger("version"), row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("updated_at").toInstant());
  }

  /** The contract's {@code Room}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("facilityId", facilityId.toString())
        .put("name", name)
        .put("kind", kind)
        .put("status", status)
        .put("version", version)
        .put("createdAt", createdAt.toString())
        .put("updatedAt", updatedAt.toString());
  }
}
