package io.caduceus.api.organisation;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.util.UUID;

/**
 * A group a member of staff belongs to: a facility, a department (with its facility) or a care team, open or closed
 * (a closed department or care team puts no one in scope).
 */
public record StaffGroup(UUID id, String kind, String name, String status, UUID facilityId)
    implements NameOrder.Listed {

  /** Maps a row of {@link OrganisationSql#STAFF_GROUPS} or {@link OrganisationSql#STAFF_GROUP_PAGES}. */
  static StaffGroup fromRow(Row row) {
    return new StaffGroup(row.getUUID("group_id"), row.getString("kind"), row.getString("name"),
        row.getString("status"), row.getUUID("facility_id"));
  }

  /** Whether the group puts its members in scope: every facility, and an open department or care team. */
  boolean inForce() {
    return "facility".equals(kind) || "active".equals(status);
  }

  /** The contract's {@code StaffGroup}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("kind", kind).put("name", name)
        .put("status", status);
    if (facilityId != null) {
      json.put("facilityId", facilityId.toString());
    }
    return json;
  }
}
