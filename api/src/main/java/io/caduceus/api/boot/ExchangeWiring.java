package io.caduceus.api.boot;

import io.caduceus.api.exchange.Exchange;
import io.caduceus.api.flags.FeatureState;
import io.caduceus.api.exchange.ExchangeDelivery;
import io.caduceus.api.exchange.ExchangeEnvelope;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.partner.PartnerHandlers;
import io.caduceus.api.partner.PartnerService;
import io.caduceus.notifications.outbox.OutboxRelay;

import java.util.List;

/**
 * Messages between tenants: the partner links, the outbox they leave by and the delivery that hands them to the
 * receiving side. The areas that exchange (lab, prescriptions, claims) register their kinds with {@link #delivery}.
 */
final class ExchangeWiring {

  final PartnerService partners;
  final Exchange exchange;
  final ExchangeDelivery delivery;
  final OutboxRelay exchangeRelay;

  ExchangeWiring(Shared shared, FeatureState modules) {
    var controlPlane = shared.controlPlane();
    var db = shared.db();
    var catalog = shared.catalog();
    var audit = shared.audit();
    var outbox = shared.outbox();
    this.partners = new PartnerService(controlPlane, catalog);
    this.exchange = new Exchange(outbox, audit, partners);
    this.delivery = new ExchangeDelivery(db, catalog, partners, audit, modules);
    AppConfig.Exchange relay = shared.config().exchange();
    this.exchangeRelay = new OutboxRelay(db, shared.regions(), List.of(ExchangeEnvelope.TOPIC_FAMILY), delivery,
        relay.batchSize(), relay.maxAttempts(), relay.retryBase().toMillis());
  }

  /** Binds the partner-link operations. */
  void bind(Operations ops, Idempotency idempotency) {
    new PartnerHandlers(partners, idempotency).bind(ops);
  }
}
