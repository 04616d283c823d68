package io.caduceus.api.account;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/** One live session of a user, as their list shows it. */
public record SessionView(UUID id, UUID tenantId, String tenantName, String device, Instant createdAt,
                          Instant lastUsedAt, Instant expiresAt) {

  /** Maps a row of {@link AccountSql#SESSIONS}. */
  static SessionView fromRow(Row row) {
    return new SessionView(row.getUUID("id"), row.getUUID("tenant_id"), row.getString("tenant_name"),
        row.getString("device"), row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("last_used_at") == null ? row.getOffsetDateTime("created_at").toInstant()
            : row.getOffsetDateTime("last_used_at").toInstant(),
        row.getOffsetDateTime("expires_at").toInstant());
  }

  /** The JSON of the contract's {@code UserSession}; {@code current} marks the session of the request. */
  public JsonObject toJson(UUID currentSession) {
    JsonObject json = new JsonObject().put("id", id.toString()).put("tenantId", tenantId.toString())
        .put("tenantName", tenantName).put("createdAt", createdAt.toString())
        .put("lastUsedAt", lastUsedAt.toString()).put("expiresAt", expiresAt.toString())
        .put("current", id.equals(currentSession));
    if (device != null) {
      json.put("device", device);
    }
    return json;
  }
}
