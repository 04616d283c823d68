package io.caduceus.api.organisation;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.util.UUID;

/** A group a member of staff belongs to: a facility, a department (with its facility) or a care team. */
public record StaffGroup(UUID id, String kind, String name, UUID facilityId) {

  /** Maps a row of {@link OrganisationSql#STAFF_GROUPS}. */
  static StaffGroup fromRow(Row row) {
    return new StaffGroup(row.getUUID("group_id"), row.getString("kind"), row.getString("name"),
        row.getUUID("facility_id"));
  }

  /** The contract's {@code StaffGroup}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("kind", kind).put("name", name);
    if (facilityId != null) {
      json.put("facilityId", facilityId.toString());
    }
    return json;
  }
}
