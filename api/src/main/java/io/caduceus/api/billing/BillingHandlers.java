package io.caduceus.api.billing;

import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.function.Function;

/** The billing operations: coverage, eligibility, the fee schedule, charges and claims. */
public final class BillingHandlers {

  private final CoverageService coverages;
  private final EligibilityService eligibility;
  private final FeeService fees;
  private final ChargeService charges;
  private final ClaimService claims;
  private final AdjudicationService adjudication;
  private final Idempotency idempotency;

  public BillingHandlers(CoverageService coverages, EligibilityService eligibility, FeeService fees,
                         ChargeService charges, ClaimService claims, AdjudicationService adjudication,
                         Idempotency idempotency) {
    this.coverages = coverages;
    this.eligibility = eligibility;
    this.fees = fees;
    this.charges = charges;
    this.claims = claims;
    this.adjudication = adjudication;
    this.idempotency = idempotency;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("createCoverage", rc -> post(rc, ctx -> coverages.create(ctx, Requests.body(rc))
        .map(c -> Reply.created("/v1/coverages/" + c.id(), c.json(), c.version()).about(c.patientId()))));
    ops.bind("listCoverages", rc -> coverages.list(Requests.tenant(rc), Requests.queryUuid(rc, "patientId"),
            Requests.queryString(rc, "status"), Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(BillingView::json))));
    ops.bind("getCoverage", rc -> coverages.get(Requests.tenant(rc), Requests.pathUuid(rc, "coverageId"))
        .map(c -> Reply.ok(c.json(), c.version())));
    ops.bind("updateCoverage", rc -> coverages.update(Requests.tenant(rc), Requests.pathUuid(rc, "coverageId"),
            ETags.required(rc), Requests.body(rc))
        .map(c -> Reply.ok(c.json(), c.version())));

    ops.bind("checkEligibility", rc -> post(rc, ctx -> eligibility.check(ctx, appointmentId(rc), Requests.body(rc))
        .map(answer -> Reply.ok(answer).about(UUID.fromString(answer.getString("patientId"))))));
    ops.bind("getEligibility", rc -> eligibility.last(Requests.tenant(rc), appointmentId(rc)).map(Reply::ok));

    ops.bind("listFees", rc -> fees.list(Requests.tenant(rc), Requests.queryInt(rc, "limit", 100),
            Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(Function.identity()))));
    ops.bind("putFee", rc -> fees.put(Requests.tenant(rc), Requests.pathString(rc, "cptCode"), Requests.body(rc))
        .map(fee -> fee.created()
            ? Reply.created("/v1/fees/" + fee.json().getString("cptCode"), fee.json()) : Reply.ok(fee.json())));
    ops.bind("deleteFee", rc -> fees.remove(Requests.tenant(rc), Requests.pathString(rc, "cptCode"))
        .map(v -> Reply.noContent()));

    ops.bind("generateCharges", rc -> post(rc, ctx -> charges.generate(ctx, Requests.pathUuid(rc, "encounterId"))
        .map(result -> Reply.ok(result.toJson()).about(result.patientId()))));
    ops.bind("listCharges", rc -> charges.list(Requests.tenant(rc), Requests.queryUuid(rc, "encounterId"),
            Requests.queryUuid(rc, "patientId"), Requests.queryBoolean(rc, "billed"),
            Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(Charge::toJson))));

    ops.bind("submitClaim", rc -> post(rc, ctx -> claims.submit(ctx, Requests.body(rc))
        .map(c -> Reply.created("/v1/claims/" + c.id(), c.json(), c.version()).about(c.patientId()))));
    ops.bind("listClaims", rc -> {
      String status = Requests.queryString(rc, "status");
      return claims.list(Requests.tenant(rc), Requests.queryString(rc, "direction"),
              status == null ? null : ClaimStatus.fromWire(status), Requests.queryUuid(rc, "patientId"),
              Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
          .map(page -> Reply.ok(page.toJson(BillingView::json)));
    });
    ops.bind("getClaim", rc -> claims.get(Requests.tenant(rc), claimId(rc)).map(c -> Reply.ok(c.json(), c.version())));
    ops.bind("adjudicateClaim", rc -> post(rc, ctx -> adjudication.adjudicate(ctx, claimId(rc), Requests.body(rc))
        .map(c -> Reply.ok(c.json(), c.version()).about(c.patientId()))));
    ops.bind("payClaim", rc -> post(rc, ctx -> adjudication.pay(ctx, claimId(rc), Requests.body(rc))
        .map(c -> Reply.ok(c.json(), c.version()).about(c.patientId()))));
  }

  /** A POST, run at most once per Idempotency-Key; with a key, in the transaction that claims it. */
  private Future<Reply> post(RoutingContext rc, Function<TenantContext, Future<Reply>> action) {
    return idempotency.inTransaction(rc, Requests.tenant(rc), action);
  }

  private static UUID appointmentId(RoutingContext rc) {
    return Requests.pathUuid(rc, "appointmentId");
  }

  private static UUID claimId(RoutingContext rc) {
    return Requests.pathUuid(rc, "claimId");
  }
}
