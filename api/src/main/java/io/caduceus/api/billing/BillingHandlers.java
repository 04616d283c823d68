package io.caduceus.api.billing;

import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
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
    ops.bindRaw("createCoverage", rc -> post(rc, ctx -> coverages.create(ctx, Requests.body(rc))
        .map(c -> Reply.created("/v1/coverages/" + c.id(), c.json(), c.version()).about(c.patientId()))));
    ops.bindRaw("listCoverages", rc -> coverages.list(Requests.tenant(rc), Requests.queryUuid(rc, "patientId"),
            Requests.queryString(rc, "status"), Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .onSuccess(page -> Replies.send(rc, Reply.ok(page.toJson(BillingView::json))))
        .onFailure(rc::fail));
    ops.bindRaw("getCoverage", rc -> coverages.get(Requests.tenant(rc), Requests.pathUuid(rc, "coverageId"))
        .onSuccess(c -> Replies.send(rc, Reply.ok(c.json(), c.version())))
        .onFailure(rc::fail));
    ops.bindRaw("updateCoverage", rc -> coverages.update(Requests.tenant(rc), Requests.pathUuid(rc, "coverageId"),
            ETags.required(rc), Requests.body(rc))
        .onSuccess(c -> Replies.send(rc, Reply.ok(c.json(), c.version())))
        .onFailure(rc::fail));

    ops.bindRaw("checkEligibility", rc -> post(rc, ctx -> eligibility.check(ctx, appointmentId(rc), Requests.body(rc))
        .map(answer -> Reply.ok(answer).about(UUID.fromString(answer.getString("patientId"))))));
    ops.bindRaw("getEligibility", rc -> eligibility.last(Requests.tenant(rc), appointmentId(rc))
        .onSuccess(answer -> Replies.send(rc, Reply.ok(answer)))
        .onFailure(rc::fail));

    ops.bindRaw("listFees", rc -> fees.list(Requests.tenant(rc), Requests.queryInt(rc, "limit", 100),
            Requests.queryString(rc, "cursor"))
        .onSuccess(page -> Replies.send(rc, Reply.ok(page.toJson(Function.identity()))))
        .onFailure(rc::fail));
    ops.bindRaw("putFee", rc -> fees.put(Requests.tenant(rc), Requests.pathString(rc, "cptCode"), Requests.body(rc))
        .onSuccess(fee -> Replies.send(rc, fee.created()
            ? Reply.created("/v1/fees/" + fee.json().getString("cptCode"), fee.json()) : Reply.ok(fee.json())))
        .onFailure(rc::fail));
    ops.bindRaw("deleteFee", rc -> fees.remove(Requests.tenant(rc), Requests.pathString(rc, "cptCode"))
        .onSuccess(v -> Replies.send(rc, Reply.noContent()))
        .onFailure(rc::fail));

    ops.bindRaw("generateCharges", rc -> post(rc, ctx -> charges.generate(ctx, Requests.pathUuid(rc, "encounterId"))
        .map(result -> Reply.ok(result.toJson()).about(result.patientId()))));
    ops.bindRaw("listCharges", rc -> charges.list(Requests.tenant(rc), Requests.queryUuid(rc, "encounterId"),
            Requests.queryUuid(rc, "patientId"), Requests.queryBoolean(rc, "billed"),
            Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .onSuccess(page -> Replies.send(rc, Reply.ok(page.toJson(Charge::toJson))))
        .onFailure(rc::fail));

    ops.bindRaw("submitClaim", rc -> post(rc, ctx -> claims.submit(ctx, Requests.body(rc))
        .map(c -> Reply.created("/v1/claims/" + c.id(), c.json(), c.version()).about(c.patientId()))));
    ops.bindRaw("listClaims", rc -> {
      String status = Requests.queryString(rc, "status");
      claims.list(Requests.tenant(rc), Requests.queryString(rc, "direction"),
              status == null ? null : ClaimStatus.fromWire(status), Requests.queryUuid(rc, "patientId"),
              Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
          .onSuccess(page -> Replies.send(rc, Reply.ok(page.toJson(BillingView::json))))
          .onFailure(rc::fail);
    });
    ops.bindRaw("getClaim", rc -> claims.get(Requests.tenant(rc), claimId(rc))
        .onSuccess(c -> Replies.send(rc, Reply.ok(c.json(), c.version())))
        .onFailure(rc::fail));
    ops.bindRaw("adjudicateClaim", rc -> post(rc, ctx -> adjudication.adjudicate(ctx, claimId(rc), Requests.body(rc))
        .map(c -> Reply.ok(c.json(), c.version()).about(c.patientId()))));
    ops.bindRaw("payClaim", rc -> post(rc, ctx -> adjudication.pay(ctx, claimId(rc), Requests.body(rc))
        .map(c -> Reply.ok(c.json(), c.version()).about(c.patientId()))));
  }

  /** A POST, run at most once per Idempotency-Key. */
  private void post(RoutingContext rc, Function<TenantContext, Future<Reply>> action) {
    idempotency.inTenant(rc, Requests.tenant(rc), action)
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private static UUID appointmentId(RoutingContext rc) {
    return Requests.pathUuid(rc, "appointmentId");
  }

  private static UUID claimId(RoutingContext rc) {
    return Requests.pathUuid(rc, "claimId");
  }
}
