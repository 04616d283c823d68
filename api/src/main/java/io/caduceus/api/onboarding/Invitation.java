package io.caduceus.api.onboarding;

import io.caduceus.routing.TenantId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** An invitation to join a tenant with roles; its token is stored only as a hash. */
public record Invitation(UUID id, TenantId tenantId, String email, List<String> roles, UUID patientId,
                         Instant createdAt, Instant expiresAt, Instant acceptedAt, Instant revokedAt) {

  /** Maps a row of {@link InvitationSql#COLUMNS}. */
  static Invitation fromRow(Row row) {
    return new Invitation(row.getUUID("id"), new TenantId(row.getUUID("tenant_id")), row.getString("email"),
        Arrays.asList(row.getArrayOfStrings("roles")), row.getUUID("patient_id"),
        row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("expires_at").toInstant(),
        instant(row, "accepted_at"), instant(row, "revoked_at"));
  }

  /** Where the invitation is in its life. */
  String status() {
    if (acceptedAt != null) {
      return "accepted";
    }
    if (revokedAt != null) {
      return "revoked";
    }
    return expiresAt.isBefore(Instant.now()) ? "expired" : "pending";
  }

  /** The contract's {@code Invitation}. */
  JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("tenantId", tenantId.toString())
        .put("email", email)
        .put("roles", new JsonArray(roles))
        .put("patientId", patientId == null ? null : patientId.toString())
        .put("status", status())
        .put("createdAt", createdAt.toString())
        .put("expiresAt", expiresAt.toString());
  }

  private static Instant instant(Row row, String column) {
    return row.getOffsetDateTime(column) == null ? null : row.getOffsetDateTime(column).toInstant();
  }
}
