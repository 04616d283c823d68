package io.caduceus.notifications.outbox;

import io.caduceus.routing.TenantId;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.util.UUID;

/** One outbox message as a relay hands it to its handler. */
public record OutboxRecord(TenantId tenant, UUID id, String topic, String orderingKey, JsonObject payload,
                           int attempts) {

  static OutboxRecord fromRow(TenantId tenant, Row row) {
    return new OutboxRecord(tenant, row.getUUID("id"), row.getString("topic"), row.getString("ordering_key"),
        row.getJsonObject("payload"), row.getInteger("attempts"));
  }
}
