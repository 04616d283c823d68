package io.caduceus.api.identity.scim;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant's SCIM view of a global user: its id is the user's id, the email is the user's. */
record ScimUser(UUID id, String userName, String externalId, boolean active, JsonObject attributes, int version,
                OffsetDateTime created, OffsetDateTime lastModified, String email) {

  static ScimUser fromRow(Row row) {
    Object attributes = row.getValue("attributes");
    return new ScimUser(row.getUUID("user_id"), row.getString("user_name"), row.getString("external_id"),
        row.getBoolean("active"), attributes instanceof JsonObject json ? json : new JsonObject(),
        row.getInteger("version"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"),
        row.getString("email"));
  }
}
