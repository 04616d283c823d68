package io.caduceus.api.telehealth.video;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;

/** What the API shows of a tenant's video account: the provider and its sids (never a secret), and when set. */
public record VideoCredentialSummary(String provider, String accountSid, String apiKeySid, Instant updatedAt) {

  static VideoCredentialSummary fromRow(Row row) {
    JsonObject summary = row.getJsonObject("summary");
    return new VideoCredentialSummary(summary.getString("provider"), summary.getString("accountSid"),
        summary.getString("apiKeySid"), row.getOffsetDateTime("updated_at").toInstant());
  }

  /** The JSON body of the API. */
  public JsonObject toJson() {
    return new JsonObject().put("provider", provider).put("accountSid", accountSid).put("apiKeySid", apiKeySid)
        .put("updatedAt", updatedAt.toString());
  }
}
