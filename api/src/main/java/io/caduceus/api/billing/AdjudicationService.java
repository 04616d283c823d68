package io.caduceus.api.billing;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.api.exchange.Exchange;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.time.Instant;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The insurer's side of a claim: the insurance manager approves it, approves part of it or denies it, with
 * reasons (claim adjustment reason codes such as {@code CO-45}), and then records the payments of what was
 * approved. Each decision and payment goes back to the clinic's copy over the same link, in order.
 */
public final class AdjudicationService {

  static final String RECEIVED = "claim.received";
  static final String ADJUDICATED = "claim.adjudicated";
  static final String PAID = "claim.paid";

  private final TenantDb db;
  private final TenantKeyring keyring;
  private final Exchange exchange;
  private final ClaimRepository claims = new ClaimRepository();

  public AdjudicationService(TenantDb db, TenantKeyring keyring, Exchange exchange) {
    this.db = db;
    this.keyring = keyring;
    this.exchange = exchange;
  }

  /** Decides a submitted claim. */
  public Future<BillingView> adjudicate(TenantContext ctx, UUID id, JsonObject body) {
    String decision = body.getString("decision");
    JsonArray reasons = body.getJsonArray("reasons", new JsonArray());
    return change(ctx, id, (conn, c) -> {
      if (c.status() != ClaimStatus.SUBMITTED) {
        return Future.failedFuture(new Conflict("the claim is already " + c.status().wire()));
      }
      long approved = approved(decision, body.getLong("approvedCents"), c.totalCents(), reasons);
      ClaimStatus next = "denied".equals(decision) ? ClaimStatus.DENIED : ClaimStatus.ADJUDICATED;
      return exchange.link(c.linkId(), ctx.tenantId())
          .compose(link -> claims.decide(conn, id, next, decision, approved, reasons, null)
              .compose(v -> exchange.send(conn, ctx, link, ADJUDICATED, id, c.patientId(), new JsonObject()
                  .put("claimId", c.counterpartClaimId().toString()).put("insurerClaimId", id.toString())
                  .put("status", next.wire()).put("decision", decision).put("approvedCents", approved)
                  .put("reasons", reasons))));
    });
  }

  /** Records a payment of approved, unpaid money; the claim is paid once all of it is. */
  public Future<BillingView> pay(TenantContext ctx, UUID id, JsonObject body) {
    long amount = body.getLong("amountCents");
    String reference = body.getString("reference");
    return change(ctx, id, (conn, c) -> {
      if (c.status() != ClaimStatus.ADJUDICATED) {
        return Future.failedFuture(new Conflict(c.status() == ClaimStatus.SUBMITTED
            ? "the claim is not adjudicated yet" : "the claim is " + c.status().wire() + "; nothing is left to pay"));
      }
      if (amount > c.unpaidCents()) {
        return Future.failedFuture(new Unprocessable("the payment exceeds the " + c.unpaidCents()
            + " cents approved and not yet paid"));
      }
      ClaimStatus next = amount == c.unpaidCents() ? ClaimStatus.PAID : ClaimStatus.ADJUDICATED;
      UUID paymentId = UuidV7.next();
      Instant paidAt = Instant.now();
      return exchange.link(c.linkId(), ctx.tenantId())
          .compose(link -> claims.pay(conn, ctx, c, paymentId, amount, reference, paidAt, next)
              .compose(v -> exchange.send(conn, ctx, link, PAID, id, c.patientId(), new JsonObject()
                  .put("claimId", c.counterpartClaimId().toString()).put("insurerClaimId", id.toString())
                  .put("paymentId", paymentId.toString()).put("amountCents", amount).put("reference", reference)
                  .put("paidAt", paidAt.toString()).put("status", next.wire()))));
    });
  }

  /** A step on an incoming claim, in one transaction, answered with the claim as it now is. */
  private Future<BillingView> change(TenantContext ctx, UUID id, BiFunction<SqlConnection, Claim, Future<Void>> step) {
    return Access.check(ctx, Permission.CLAIM_ADJUDICATE)
        .compose(v -> keyring.keys(ctx.tenantId()))
        .compose(keys -> db.inTenant(ctx, conn -> claims.lock(conn, id).compose(c -> {
          if (c.outgoing()) {
            return Future.failedFuture(new Forbidden("the insurer adjudicates a claim, not the clinic that sent it"));
          }
          return step.apply(conn, c).compose(v -> claims.find(conn, id))
              .map(updated -> ClaimService.view(ctx, keys, updated));
        })));
  }

  /** The approved amount a decision implies, refusing one that contradicts it. */
  private static long approved(String decision, Long requested, long total, JsonArray reasons) {
    switch (decision) {
      case "approved" -> {
        if (requested != null && requested != total) {
          throw new Invalid("/approvedCents", "an approval pays the whole claim (" + total
              + " cents); approve part of it with partially_approved");
        }
        return total;
      }
      case "partially_approved" -> {
        if (requested == null || requested <= 0 || requested >= total) {
          throw new Invalid("/approvedCents", "a partial approval approves more than 0 and less than the claim's "
              + total + " cents");
        }
        requireReasons(reasons);
        return requested;
      }
      case "denied" -> {
        if (requested != null && requested != 0) {
          throw new Invalid("/approvedCents", "a denial approves nothing");
        }
        requireReasons(reasons);
        return 0;
      }
      default -> throw new Invalid("/decision", "not a decision");
    }
  }

  private static void requireReasons(JsonArray reasons) {
    if (reasons.isEmpty()) {
      throw new Invalid("/reasons", "a partial approval or a denial gives at least one reason");
    }
  }
}
