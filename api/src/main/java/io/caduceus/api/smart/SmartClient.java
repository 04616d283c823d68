package io.caduceus.api.smart;

import io.caduceus.routing.TenantId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A registered SMART backend client: its tenant, public keys, the roles it acts with and its allowed scopes. */
public record SmartClient(UUID id, TenantId tenant, String name, JsonObject jwks, List<String> roles,
                          List<String> scopes, UUID sessionId, Instant createdAt, Instant disabledAt) {

  static SmartClient fromRow(Row row) {
    OffsetDateTime disabled = row.getOffsetDateTime("disabled_at");
    return new SmartClient(row.getUUID("id"), new TenantId(row.getUUID("tenant_id")), row.getString("name"),
        (JsonObject) row.getValue("jwks"), List.of(row.getArrayOfStrings("roles")),
        List.of(row.getArrayOfStrings("scopes")), row.getUUID("session_id"),
        row.getOffsetDateTime("created_at").toInstant(), disabled == null ? null : disabled.toInstant());
  }

  /** Whether the client may still get tokens. */
  public boolean enabled() {
    return disabledAt == null;
  }

  /** The representation an admin sees (the public keys included, nothing secret exists). */
  public JsonObject json() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("clientId", id.toString()).put("name", name)
        .put("jwks", jwks).put("roles", new JsonArray(roles)).put("scopes", new JsonArray(scopes))
        .put("createdAt", createdAt.toString()).put("enabled", enabled());
    if (disabledAt != null) {
      json.put("disabledAt", disabledAt.toString());
    }
    return json;
  }
}
