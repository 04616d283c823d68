package io.caduceus.api.smart;

import io.caduceus.routing.TenantId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A registered third-party SMART app: a public client (PKCE S256) with exact redirect URIs and allowed scopes. */
public record SmartApp(UUID id, TenantId tenant, String name, List<String> redirectUris, List<String> scopes,
                       Instant createdAt, Instant disabledAt) {

  static SmartApp fromRow(Row row) {
    OffsetDateTime disabled = row.getOffsetDateTime("disabled_at");
    return new SmartApp(row.getUUID("id"), new TenantId(row.getUUID("tenant_id")), row.getString("name"),
        List.of(row.getArrayOfStrings("redirect_uris")), List.of(row.getArrayOfStrings("scopes")),
        row.getOffsetDateTime("created_at").toInstant(), disabled == null ? null : disabled.toInstant());
  }

  /** Whether the app may still be authorized. */
  public boolean enabled() {
    return disabledAt == null;
  }

  /** The representation an admin sees. */
  public JsonObject json() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("clientId", id.toString()).put("name", name)
        .put("redirectUris", new JsonArray(redirectUris)).put("scopes", new JsonArray(scopes))
        .put("createdAt", createdAt.toString()).put("enabled", enabled());
    if (disabledAt != null) {
      json.put("disabledAt", disabledAt.toString());
    }
    return json;
  }
}
