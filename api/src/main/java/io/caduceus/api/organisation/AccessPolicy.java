package io.caduceus.api.organisation;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;

/**
 * A tenant's access policy: whom the database confines staff to ({@code scope}), how a member in several groups
 * works ({@code groupView}) and how long an emergency access lasts. Version 0 is the defaults, never stored.
 */
public record AccessPolicy(String scope, String groupView, int breakGlassMinutes, int version, Instant updatedAt) {

  /** The policy of a tenant that never set one. */
  static final AccessPolicy DEFAULTS = new AccessPolicy("off", "combined", 60, 0, null);

  /** Maps a row of {@link OrganisationSql#POLICY_COLUMNS}. */
  static AccessPolicy fromRow(Row row) {
    return new AccessPolicy(row.getString("scope"), row.getString("group_view"), row.getInteger("break_glass_minutes"),
        row.getInteger("version"), row.getOffsetDateTime("updated_at").toInstant());
  }

  /** This policy with the fields of a validated {@code AccessPolicyUpdate} applied. */
  AccessPolicy changedBy(JsonObject body) {
    return new AccessPolicy(body.getString("scope", scope), body.getString("groupView", groupView),
        body.getInteger("breakGlassMinutes", breakGlassMinutes), version, updatedAt);
  }

  /** Whether a member sees the union of their groups (else the one their session chose). */
  public boolean combined() {
    return "combined".equals(groupView);
  }

  /** The contract's {@code AccessPolicy}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("scope", scope).put("groupView", groupView)
        .put("breakGlassMinutes", breakGlassMinutes).put("version", version);
    if (updatedAt != null) {
      json.put("updatedAt", updatedAt.toString());
    }
    return json;
  }
}
