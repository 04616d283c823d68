package io.caduceus.api.exchange;

import io.caduceus.api.audit.AuditEvent;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * Applies one kind of exchange message inside the receiving tenant's transaction, under its own tenant id and
 * row-level security, and says what it did for that tenant's audit trail. It runs at most once per message.
 */
@FunctionalInterface
public interface ExchangeReceiver {

  /** Applies {@code envelope} for {@code receiver}; the event is recorded naming the sending tenant. */
  Future<AuditEvent> apply(SqlConnection conn, TenantContext receiver, ExchangeEnvelope envelope);
}
