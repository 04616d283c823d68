package io.caduceus.api.exchange;

import io.caduceus.api.audit.AuditEvent;
import io.caduceus.api.audit.AuditTrail;
import io.caduceus.api.partner.PartnerLink;
import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.notifications.outbox.OutboxMessage;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.UUID;

/**
 * The sending half of a cross-tenant exchange. The envelope goes into the sender's outbox and the sender's audit
 * row (naming the receiving tenant) is written, both in the caller's transaction: the item, its message and its
 * audit commit together or not at all. {@link ExchangeDelivery} carries the message across.
 */
public final class Exchange {

  private final Outbox outbox;
  private final AuditTrail audit;

  public Exchange(Outbox outbox, AuditTrail audit) {
    this.outbox = outbox;
    this.audit = audit;
  }

  /**
   * Queues {@code document} of kind {@code kind} for the other party of {@code link}. Messages about the same
   * {@code item} are delivered in the order they were sent.
   */
  public Future<Void> send(SqlConnection conn, TenantContext ctx, PartnerLink link, String kind, UUID item,
                           JsonObject document, AuditEvent event) {
    return queue(conn, ctx, new ExchangeEnvelope(link.id(), link.scope(), ctx.tenantId(), link.other(ctx.tenantId()),
        kind, document), item, event);
  }

  /**
   * Answers the sender of {@code received} over the same link, from inside the delivery that is applying it (the
   * delivery has just checked the link), for example a lab acknowledging the order it received.
   */
  public Future<Void> reply(SqlConnection conn, TenantContext ctx, ExchangeEnvelope received, String kind, UUID item,
                            JsonObject document, AuditEvent event) {
    return queue(conn, ctx, new ExchangeEnvelope(received.linkId(), received.scope(), ctx.tenantId(), received.from(),
        kind, document), item, event);
  }

  private Future<Void> queue(SqlConnection conn, TenantContext ctx, ExchangeEnvelope envelope, UUID item,
                             AuditEvent event) {
    return outbox.append(conn, ctx.tenantId(), new OutboxMessage(envelope.topic(), item.toString(), envelope.toJson()))
        .compose(id -> audit.record(conn, ctx, event.withPartner(envelope.to().value())))
        .compose(v -> conn.query(ExchangeSql.NOTIFY).execute())
        .mapEmpty();
  }
}
