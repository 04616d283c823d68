package io.caduceus.api.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's identity provider as stored, its client secret still sealed: the contract's {@code SsoSettings} shows
 * everything but the secret.
 */
public record SsoSettings(UUID tenantId, String issuer, String clientId, byte[] sealedSecret, List<String> emailDomains,
                          List<String> redirectUris, boolean requireSso, UUID breakGlassUserId, int version,
                          Instant updatedAt) {

  /** Maps a row of {@link SsoSql#SETTINGS}. */
  static SsoSettings fromRow(Row row) {
    return new SsoSettings(row.getUUID("tenant_id"), row.getString("issuer"), row.getString("client_id"),
        row.getBuffer("client_secret_sealed").getBytes(), Arrays.asList(row.getArrayOfStrings("email_domains")),
        Arrays.asList(row.getArrayOfStrings("redirect_uris")), row.getBoolean("require_sso"),
        row.getUUID("break_glass_user_id"), row.getInteger("version"),
        row.getOffsetDateTime("updated_at").toInstant());
  }

  /** The contract's {@code SsoSettings}; {@code callbackUri} is what the tenant registers at its IdP. */
  public JsonObject toJson(String callbackUri) {
    JsonObject json = new JsonObject()
        .put("issuer", issuer)
        .put("clientId", clientId)
        .put("clientSecretSet", true)
        .put("emailDomains", new JsonArray(emailDomains))
        .put("redirectUris", new JsonArray(redirectUris))
        .put("requireSso", requireSso)
        .put("callbackUri", callbackUri)
        .put("updatedAt", updatedAt.toString());
    if (breakGlassUserId != null) {
      json.put("breakGlassUserId", breakGlassUserId.toString());
    }
    return json;
  }
}
