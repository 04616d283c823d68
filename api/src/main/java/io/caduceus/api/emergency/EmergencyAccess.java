package io.caduceus.api.emergency;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One emergency ("break-glass") access: a user's time-boxed access to one patient outside their groups, with the
 * reason they stated. In force until it expires or its user ends it.
 */
public record EmergencyAccess(UUID id, UUID userId, UUID patientId, String reason, Instant grantedAt,
                              Instant expiresAt, Instant endedAt) {

  /** Maps a row of {@link EmergencyAccessSql#COLUMNS}. */
  static EmergencyAccess fromRow(Row row) {
    OffsetDateTime ended = row.getOffsetDateTime("ended_at");
    return new EmergencyAccess(row.getUUID("id"), row.getUUID("user_id"), row.getUUID("patient_id"),
        row.getString("reason"), row.getOffsetDateTime("granted_at").toInstant(),
        row.getOffsetDateTime("expires_at").toInstant(), ended == null ? null : ended.toInstant());
  }

  /** {@code active}, {@code ended} (by its user) or {@code expired}, at {@code now}. */
  String status(Instant now) {
    if (endedAt != null) {
      return "ended";
    }
    return expiresAt.isAfter(now) ? "active" : "expired";
  }

  /** The contract's {@code EmergencyAccess}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("userId", userId.toString())
        .put("patientId", patientId.toString()).put("reason", reason).put("grantedAt", grantedAt.toString())
        .put("expiresAt", expiresAt.toString()).put("status", status(Instant.now()));
    if (endedAt != null) {
      json.put("endedAt", endedAt.toString());
    }
    return json;
  }
}
