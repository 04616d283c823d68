package io.caduceus.api.flags;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * One rule of a flag: the variant served to the contexts of a scope (and, if {@code role} is not empty, only to
 * holders of that role), to all of them or to {@code percentage} of them by a stable hash.
 */
public record FlagRule(UUID id, Scope scope, String scopeValue, UUID tenantId, String role, String variant,
                       BigDecimal percentage) {

  /** The scopes, least specific first: a rule of a later scope wins over one of an earlier. */
  public enum Scope {
    GLOBAL, REGION, TENANT_KIND, TENANT, USER;

    /** The lower-case name in the API and the control plane. */
    public String wire() {
      return name().toLowerCase();
    }

    /** The scope of a wire name. */
    public static Scope fromWire(String wire) {
      return valueOf(wire.toUpperCase());
    }
  }

  /** A rule as the control plane stores it. */
  static FlagRule fromRow(Row row) {
    return new FlagRule(row.getUUID("id"), Scope.fromWire(row.getString("scope")), row.getString("scope_value"),
        row.getUUID("tenant_id"), row.getString("role"), row.getString("variant"),
        row.getBigDecimal("percentage"));
  }

  /** Whether the rule serves its variant to everyone it matches (no rollout, or a rollout at 100 %). */
  boolean servesAll() {
    return percentage == null || percentage.compareTo(BigDecimal.valueOf(100)) >= 0;
  }

  /** The rollout's threshold in buckets of 10,000: a context whose bucket is below it is in. */
  int threshold() {
    return percentage == null ? 10_000 : percentage.movePointRight(2).intValue();
  }

  /** The rule as the API shows it. */
  public JsonObject json() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("scope", scope.wire()).put("variant", variant);
    if (!scopeValue.isEmpty()) {
      json.put("value", scopeValue);
    }
    if (tenantId != null) {
      json.put("tenantId", tenantId.toString());
    }
    if (!role.isEmpty()) {
      json.put("role", role);
    }
    if (percentage != null) {
      json.put("percentage", percentage.doubleValue());
    }
    return json;
  }
}
