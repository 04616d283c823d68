package io.caduceus.api.connector;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One import from a connector: its status, its counts per resource type and its per-resource errors. */
record ImportJob(UUID id, UUID connectorId, String status, boolean full, OffsetDateTime since, JsonObject counts,
                 JsonArray errors, String failure, OffsetDateTime startedAt, OffsetDateTime finishedAt) {

  static ImportJob fromRow(Row row) {
    return new ImportJob(row.getUUID("id"), row.getUUID("connector_id"), row.getString("status"),
        row.getBoolean("full_sync"), row.getOffsetDateTime("since"), row.getJsonObject("counts"),
        row.getJsonArray("errors"), row.getString("failure"), row.getOffsetDateTime("started_at"),
        row.getOffsetDateTime("finished_at"));
  }

  /** What the API answers ({@code EhrImportJob}). */
  JsonObject json() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("connectorId", connectorId.toString())
        .put("status", status).put("full", full).put("counts", counts).put("errors", errors)
        .put("startedAt", startedAt.toInstant().toString());
    if (since != null) {
      json.put("since", since.toInstant().toString());
    }
    if (failure != null) {
      json.put("failure", failure);
    }
    if (finishedAt != null) {
      json.put("finishedAt", finishedAt.toInstant().toString());
    }
    return json;
  }
}
