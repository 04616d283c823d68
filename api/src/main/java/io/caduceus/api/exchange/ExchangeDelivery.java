package io.caduceus.api.exchange;

import io.caduceus.api.audit.AuditTrail;
import io.caduceus.api.flags.FeatureState;
import io.caduceus.api.flags.ProductModule;
import io.caduceus.api.partner.PartnerLink;
import io.caduceus.api.partner.PartnerService;
import io.caduceus.notifications.outbox.Deferred;
import io.caduceus.notifications.outbox.OutboxRecord;
import io.caduceus.notifications.outbox.PermanentFailure;
import io.caduceus.notifications.outbox.RelayHandler;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The receiving half of a cross-tenant exchange, run by the outbox relay for every {@code exchange.*} message.
 *
 * <p>The link is checked again at delivery: a revoked link, or a cross-region link without a residency decision,
 * sends the message to the dead state with the reason; a tenant that is not active makes it wait and retry. The
 * message is applied in the receiver's own region, under the receiver's tenant id, in one transaction with its
 * {@code exchange_inbox} row (so a redelivery is recognised and skipped) and the receiver's audit row naming the
 * sender. A message of a module its receiver has switched off waits ({@link Deferred}, no attempt spent) until the
 * module is on again.
 */
public final class ExchangeDelivery implements RelayHandler {

  /** The actor recorded for work the exchange does in a receiving tenant. */
  public static final UUID ACTOR = new UUID(0, 3);
  /** How often a message waiting for its receiver's module is offered again. */
  static final long MODULE_OFF_RETRY_MS = 2_000;

  private final TenantDb db;
  private final TenantCatalog catalog;
  private final PartnerService partners;
  private final AuditTrail audit;
  private final ExchangeRepository exchange = new ExchangeRepository();
  private final Map<String, ExchangeReceiver> receivers = new HashMap<>();
  private final FeatureState modules;

  public ExchangeDelivery(TenantDb db, TenantCatalog catalog, PartnerService partners, AuditTrail audit,
                          FeatureState modules) {
    this.modules = modules;
    this.db = db;
    this.catalog = catalog;
    this.partners = partners;
    this.audit = audit;
  }

  /** Registers the receiver of one kind of message; done while assembling, before any delivery. */
  public ExchangeDelivery on(String kind, ExchangeReceiver receiver) {
    if (receivers.putIfAbsent(kind, receiver) != null) {
      throw new IllegalStateException("two receivers for " + kind);
    }
    return this;
  }

  @Override
  public Future<Void> deliver(TenantContext sender, OutboxRecord message) {
    ExchangeEnvelope envelope = ExchangeEnvelope.fromJson(message.payload());
    ExchangeReceiver receiver = receivers.get(envelope.kind());
    if (receiver == null) {
      return Future.failedFuture(new PermanentFailure("no receiver for " + envelope.kind()));
    }
    if (!envelope.from().equals(sender.tenantId())) {
      return Future.failedFuture(new PermanentFailure("the envelope names another sender"));
    }
    Optional<ProductModule> module = moduleOf(envelope.kind());
    if (module.isPresent() && modules != null && !modules.moduleOn(envelope.to().value(), module.get())) {
      return Future.failedFuture(new Deferred("the receiver's module " + module.get().wire() + " is off; waiting",
          MODULE_OFF_RETRY_MS));
    }
    return partners.find(envelope.linkId())
        .map(link -> admissible(link, envelope))
        .compose(v -> catalog.find(envelope.to()))
        .compose(target -> apply(receiverOf(target.orElseThrow(() -> new PermanentFailure("the receiver is gone")),
            message), envelope, receiver, message));
  }

  /**
   * Messages of a module wait, never lost, while their receiver has it off: lab orders and their replies
   * ({@code lab_order.*}), prescriptions ({@code prescription.*}), claims ({@code claim.*}).
   */
  static Optional<ProductModule> moduleOf(String kind) {
    if (kind.startsWith("lab_order.")) {
      return Optional.of(ProductModule.LAB_ORDERS);
    }
    if (kind.startsWith("prescription.")) {
      return Optional.of(ProductModule.E_PRESCRIBING);
    }
    return kind.startsWith("claim.") ? Optional.of(ProductModule.BILLING) : Optional.empty();
  }

  private Future<Void> apply(TenantContext receiver, ExchangeEnvelope envelope, ExchangeReceiver handler,
                             OutboxRecord message) {
    return db.inTenant(receiver, conn -> exchange.remember(conn, receiver.tenantId(), message.id(), envelope.from(),
            message.topic())
        .compose(taken -> !taken ? Future.<Void>succeededFuture()
            : handler.apply(conn, receiver, envelope)
                .compose(event -> audit.record(conn, receiver, event.withPartner(envelope.from().value())))));
  }

  private static Void admissible(Optional<PartnerLink> found, ExchangeEnvelope envelope) {
    PartnerLink link = found.orElseThrow(() -> new PermanentFailure("the partner link no longer exists"));
    if (!link.joins(envelope.from()) || !link.joins(envelope.to()) || link.scope() != envelope.scope()) {
      throw new PermanentFailure("the envelope does not match its partner link");
    }
    if (link.active() && !link.tenantsActive()) {
      throw new IllegalStateException("a linked tenant is not active; the message waits");
    }
    link.refusal().ifPresent(refusal -> {
      throw new PermanentFailure(refusal.getMessage());
    });
    return null;
  }

  private static TenantContext receiverOf(Tenant target, OutboxRecord message) {
    return TenantContext.system(target.id(), target.dataRegion(), target.tier(), ACTOR, Set.of(),
        "exchange-" + message.id());
  }
}
