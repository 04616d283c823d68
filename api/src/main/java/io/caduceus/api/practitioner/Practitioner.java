package io.caduceus.api.practitioner;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/** A staff profile of the tenant, optionally linked to a user account. */
public record Practitioner(UUID id, UUID userId, String familyName, String givenName, String specialty, String npi,
                           String email, String phone, boolean active, int version, Instant createdAt,
                           Instant updatedAt) {

  /** Maps a row of {@link PractitionerSql#COLUMNS}. */
  public static Practitioner fromRow(Row row) {
    return new Practitioner(row.getUUID("id"), row.getUUID("user_id"), row.getString("family_name"),
        row.getString("given_name"), row.getString("specialty"), row.getString("npi"), row.getString("email"),
        row.getString("phone"), row.getBoolean("active"), row.getInteger("version"),
        row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
  }

  /** The contract's {@code Practitioner}. */
  public JsonObject toJson() {
    JsonObject name = new JsonObject().put("family", familyName);
    if (givenName != null) {
      name.put("given", givenName);
    }
    return new JsonObject()
        .put("id", id.toString())
        .put("userId", userId == null ? null : userId.toString())
        .put("name", name)
        .put("specialty", specialty)
        .put("npi", npi)
        .put("email", email)
        .put("phone", phone)
        .put("active", active)
        .put("version", version)
        .put("createdAt", createdAt.toString())
        .put("updatedAt", updatedAt.toString());
  }
}
