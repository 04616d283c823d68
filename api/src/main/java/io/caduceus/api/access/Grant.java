package io.caduceus.api.access;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

/**
 * One extra permission granted to one member, optionally limited to a group (a facility or a care team) and with an
 * optional expiry. It is in force while not revoked, before its expiry (compared with the clock at each resolution,
 * so no job has to run), and, when scoped, while its group is among the request's groups in force.
 */
public record Grant(UUID id, UUID userId, String permission, String scopeKind, UUID scopeId, Instant expiresAt,
                    UUID grantedBy, Instant grantedAt, Instant revokedAt) {

  /** A grant as the control plane stores it. */
  public static Grant fromRow(Row row) {
    return new Grant(row.getUUID("id"), row.getUUID("user_id"), row.getString("permission"),
        row.getString("scope_kind"), row.getUUID("scope_id"), instant(row.getOffsetDateTime("expires_at")),
        row.getUUID("granted_by"), row.getOffsetDateTime("granted_at").toInstant(),
        instant(row.getOffsetDateTime("revoked_at")));
  }

  /** Whether it grants its permission now, for a request whose groups in force are {@code groups}. */
  public boolean inForce(Instant now, Set<UUID> groups) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt))
        && (scopeId == null || groups.contains(scopeId));
  }

  /** The representation the contract calls {@code Grant}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("userId", userId.toString())
        .put("permission", permission).put("grantedBy", grantedBy.toString()).put("grantedAt", grantedAt.toString());
    if (scopeId != null) {
      json.put("scope", new JsonObject().put("kind", scopeKind).put("id", scopeId.toString()));
    }
    if (expiresAt != null) {
      json.put("expiresAt", expiresAt.toString());
    }
    if (revokedAt != null) {
      json.put("revokedAt", revokedAt.toString());
    }
    return json;
  }

  private static Instant instant(OffsetDateTime at) {
    return at == null ? null : at.toInstant();
  }
}
