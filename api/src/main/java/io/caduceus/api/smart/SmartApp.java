package io.caduceus.api.smart;

import io.caduceus.routing.TenantId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A registered third-party SMART app: exact redirect URIs, allowed scopes, how it authenticates at the token endpoint
 * ({@code none}: a public client, PKCE only; {@code private_key_jwt} with its JWK set or the URL of one;
 * {@code client_secret_basic}
 * with the SHA-256 of its secret) and the launch URL of its EHR launches.
 */
public record SmartApp(UUID id, TenantId tenant, String name, List<String> redirectUris, List<String> scopes,
                       String authMethod, JsonObject jwks, String jwksUri, byte[] secretHash, String launchUrl,
                       Instant createdAt, Instant disabledAt) {

  /** The columns {@link #fromRow} reads. */
  static final String COLUMNS =
      "id, tenant_id, name, redirect_uris, scopes, auth_method, jwks, jwks_uri, secret_hash, launch_url, created_at, "
      + "disabled_at";

  static SmartApp fromRow(Row row) {
    OffsetDateTime disabled = row.getOffsetDateTime("disabled_at");
    return new SmartApp(row.getUUID("id"), new TenantId(row.getUUID("tenant_id")), row.getString("name"),
        List.of(row.getArrayOfStrings("redirect_uris")), List.of(row.getArrayOfStrings("scopes")),
        row.getString("auth_method"), (JsonObject) row.getValue("jwks"), row.getString("jwks_uri"),
        row.getBuffer("secret_hash") == null ? null : row.getBuffer("secret_hash").getBytes(),
        row.getString("launch_url"), row.getOffsetDateTime("created_at").toInstant(),
        disabled == null ? null : disabled.toInstant());
  }

  /** Whether the app may still be authorized. */
  public boolean enabled() {
    return disabledAt == null;
  }

  /** The representation an admin sees (never the secret, which is shown once at registration). */
  public JsonObject json() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("clientId", id.toString()).put("name", name)
        .put("redirectUris", new JsonArray(redirectUris)).put("scopes", new JsonArray(scopes))
        .put("tokenEndpointAuthMethod", authMethod)
        .put("createdAt", createdAt.toString()).put("enabled", enabled());
    if (jwks != null) {
      json.put("jwks", jwks);
    }
    if (jwksUri != null) {
      json.put("jwksUri", jwksUri);
    }
    if (launchUrl != null) {
      json.put("launchUrl", launchUrl);
    }
    if (disabledAt != null) {
      json.put("disabledAt", disabledAt.toString());
    }
    return json;
  }
}
