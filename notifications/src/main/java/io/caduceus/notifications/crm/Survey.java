package io.caduceus.notifications.crm;

import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/** A satisfaction or NPS survey: its questions, and whether it follows every signed visit. */
public record Survey(UUID id, String name, String kind, JsonArray questions, boolean afterVisit, Instant createdAt) {

  static final String COLUMNS = "id, name, kind, questions, after_visit, created_at";

  static Survey fromRow(Row row) {
    return new Survey(row.getUUID("id"), row.getString("name"), row.getString("kind"), row.getJsonArray("questions"),
        row.getBoolean("after_visit"), row.getOffsetDateTime("created_at").toInstant());
  }
}
