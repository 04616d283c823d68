package io.caduceus.api.connector;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant's connection to its legacy EHR's FHIR R4 server; the secret stays sealed until an import opens it. */
record Connector(UUID id, String name, String baseUrl, String authType, JsonObject auth, byte[] secretSealed,
                 OffsetDateTime checkpoint, int version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  static Connector fromRow(Row row) {
    return new Connector(row.getUUID("id"), row.getString("name"), row.getString("base_url"),
        row.getString("auth_type"), row.getJsonObject("auth"), row.getBuffer("secret_sealed").getBytes(),
        row.getOffsetDateTime("checkpoint"), row.getInteger("version"), row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"));
  }

  /** What the API answers: the auth without its secret, and only that one is held. */
  JsonObject json() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("name", name).put("baseUrl", baseUrl)
        .put("auth", auth.copy().put("type", authType)).put("hasSecret", true).put("version", version)
        .put("createdAt", createdAt.toInstant().toString()).put("updatedAt", updatedAt.toInstant().toString());
    if (checkpoint != null) {
      json.put("checkpoint", checkpoint.toInstant().toString());
    }
    return json;
  }

  /** What the sealed secret is bound to: this connector only. */
  static String secretBinding(UUID id) {
    return "ehr_connector.secret/" + id;
  }
}
