package io.caduceus.notifications.outbox;

import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/** Writes outbox messages inside the caller's tenant transaction, so they commit or vanish with the domain write. */
public final class Outbox {

  /** The migrations of the outbox (and, later, of the engagement engine) in a regional database. */
  public static final String MIGRATIONS = "classpath:db/notifications";

  private static final String APPEND = """
      INSERT INTO outbox_event (tenant_id, id, topic, ordering_key, payload)
      VALUES ($1, $2, $3, $4, $5)""";

  /** Appends a message on the caller's open transaction and returns its id. */
  public Future<UUID> append(SqlConnection conn, TenantId tenant, OutboxMessage message) {
    UUID id = UuidV7.next();
    return conn.preparedQuery(APPEND)
        .execute(Tuple.of(tenant.value(), id, message.topic(), message.orderingKey(), message.payload()))
        .map(rows -> id);
  }
}
