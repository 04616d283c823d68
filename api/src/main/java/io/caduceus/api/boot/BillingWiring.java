package io.caduceus.api.boot;

import io.caduceus.api.billing.AdjudicationService;
import io.caduceus.api.billing.BillingHandlers;
import io.caduceus.api.billing.ChargeService;
import io.caduceus.api.billing.ClaimExchange;
import io.caduceus.api.billing.ClaimService;
import io.caduceus.api.billing.CoverageService;
import io.caduceus.api.billing.EligibilityService;
import io.caduceus.api.billing.ExchangeSeal;
import io.caduceus.api.billing.FeeService;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.routing.keys.MasterKey;

/** Paying for care: coverages and eligibility, fees and charges, claims and their adjudication. */
final class BillingWiring {

  final CoverageService coverages;
  final EligibilityService eligibility;
  final FeeService fees;
  final ChargeService charges;
  final ClaimService claims;
  final AdjudicationService adjudication;

  BillingWiring(Shared shared, ExchangeWiring exchanges, MasterKey masterKey) {
    var db = shared.db();
    var catalog = shared.catalog();
    var keyring = shared.keyring();
    var cursors = shared.cursors();
    var audit = shared.audit();
    var outbox = shared.outbox();
    var partners = exchanges.partners;
    var exchange = exchanges.exchange;
    ExchangeSeal exchangeSeal = new ExchangeSeal(masterKey);
    this.coverages = new CoverageService(db, keyring, cursors);
    this.eligibility = new EligibilityService(db, catalog, keyring, partners, audit);
    this.fees = new FeeService(db, cursors);
    this.charges = new ChargeService(db, cursors);
    this.claims = new ClaimService(db, catalog, keyring, exchange, exchangeSeal, cursors);
    this.adjudication = new AdjudicationService(db, keyring, exchange);
    new ClaimExchange(exchange, exchangeSeal, keyring, outbox).register(exchanges.delivery);
  }

  /** Binds the billing operations. */
  void bind(Operations ops, Idempotency idempotency) {
    new BillingHandlers(coverages, eligibility, fees, charges, claims, adjudication, idempotency).bind(ops);
  }
}
