package io.caduceus.api.exchange;

import io.caduceus.api.audit.AuditEvent;
import io.caduceus.api.audit.AuditTrail;
import io.caduceus.api.partner.PartnerLink;
import io.caduceus.api.partner.PartnerScope;
import io.caduceus.api.partner.PartnerService;
import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.notifications.outbox.OutboxMessage;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.UUID;

/**
 * The sending half of a cross-tenant exchange. The envelope goes into the sender's outbox in the caller's
 * transaction, and the sender's audit row names the receiving tenant: a request's record (which its transaction
 * writes before it commits), or the event a delivery's reply records there. The item, its message and its audit
 * commit together or not at all. {@link ExchangeDelivery} carries the message across.
 */
public final class Exchange {

  private final Outbox outbox;
  private final AuditTrail audit;
  private final ExchangeRepository exchange = new ExchangeRepository();
  private final PartnerService partners;

  public Exchange(Outbox outbox, AuditTrail audit, PartnerService partners) {
    this.outbox = outbox;
    this.audit = audit;
    this.partners = partners;
  }

  /** The active {@code scope} link from {@code requester} to {@code partner}, to send a new item over. */
  public Future<PartnerLink> link(TenantId requester, TenantId partner, PartnerScope scope) {
    return partners.usableLink(requester, partner, scope);
  }

  /** The link an item already travels over, if it still joins {@code self} and may carry it. */
  public Future<PartnerLink> link(UUID linkId, TenantId self) {
    return partners.usableLink(linkId, self);
  }

  /**
   * Queues {@code document} of kind {@code kind} for the other party of {@code link}, from a request: its audit
   * record names {@code item}, the item's patient and the receiving tenant. Messages about the same {@code item} are
   * delivered in the order they were sent.
   */
  public Future<Void> send(SqlConnection conn, TenantContext ctx, PartnerLink link, String kind, UUID item,
                           UUID patientId, JsonObject document) {
    TenantId to = link.other(ctx.tenantId());
    ctx.audit().about(item).patient(patientId).partner(to.value());
    return queue(conn, ctx, new ExchangeEnvelope(link.id(), link.scope(), ctx.tenantId(), to, kind, document), item);
  }

  /**
   * Answers the sender of {@code received} over the same link, from inside the delivery that is applying it (the
   * delivery has just checked the link), for example a lab acknowledging the order it received.
   */
  public Future<Void> reply(SqlConnection conn, TenantContext ctx, ExchangeEnvelope received, String kind, UUID item,
                            JsonObject document, AuditEvent event) {
    return queue(conn, ctx, new ExchangeEnvelope(received.linkId(), received.scope(), ctx.tenantId(), received.from(),
        kind, document), item)
        .compose(v -> audit.record(conn, ctx, event.withPartner(received.from().value())));
  }

  private Future<Void> queue(SqlConnection conn, TenantContext ctx, ExchangeEnvelope envelope, UUID item) {
    return outbox.append(conn, ctx.tenantId(), new OutboxMessage(envelope.topic(), item.toString(), envelope.toJson()))
        .compose(id -> exchange.announce(conn));
  }
}
