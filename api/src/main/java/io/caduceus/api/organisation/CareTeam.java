package io.caduceus.api.organisation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A team of staff around patients, optionally of one facility; {@code members} is empty where not read. */
public record CareTeam(UUID id, String name, UUID facilityId, String description, String status, int version,
                       Instant createdAt, Instant updatedAt, List<UUID> members) implements GroupTable.Named {

  /** Maps a row of {@link OrganisationSql#CARE_TEAM_COLUMNS}. */
  static CareTeam fromRow(Row row) {
    return new CareTeam(row.getUUID("id"), row.getString("name"), row.getUUID("facility_id"),
        row.getString("description"), row.getString("status"), row.getInteger("version"),
        row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant(),
        List.of());
  }

  /** The same team with its staff members. */
  CareTeam withMembers(List<UUID> users) {
    return new CareTeam(id, name, facilityId, description, status, version, createdAt, updatedAt, List.copyOf(users));
  }

  /** The contract's {@code CareTeam}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("name", name).put("status", status)
        .put("version", version).put("createdAt", createdAt.toString())
        .put("updatedAt", updatedAt.toString())
        .put("members", new JsonArray(members.stream().map(UUID::toString).toList()));
    if (facilityId != null) {
      json.put("facilityId", facilityId.toString());
    }
    if (description != null) {
      json.put("description", description);
    }
    return json;
  }
}
