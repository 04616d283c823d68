package io.caduceus.api.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** A user as a member of one tenant, for the tenant admin. */
public record TenantMember(UUID userId, String email, String displayName, List<String> roles, UUID patientId,
                           String status, Instant joinedAt) {

  /** Maps a row of {@link UserSql#MEMBER_COLUMNS}. */
  public static TenantMember fromRow(Row row) {
    return new TenantMember(row.getUUID("user_id"), row.getString("email"), row.getString("display_name"),
        Arrays.asList(row.getArrayOfStrings("roles")), row.getUUID("patient_id"), row.getString("status"),
        row.getOffsetDateTime("created_at").toInstant());
  }

  /** The contract's {@code TenantUser}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("userId", userId.toString())
        .put("email", email)
        .put("displayName", displayName)
        .put("roles", new JsonArray(roles))
        .put("patientId", patientId == null ? null : patientId.toString())
        .put("status", status)
        .put("joinedAt", joinedAt.toString());
  }
}
