package io.caduceus.api.billing;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.exchange.Exchange;
import io.caduceus.api.exchange.ExchangedPatients;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.api.paging.Position;
import io.caduceus.api.partner.PartnerLink;
import io.caduceus.api.partner.PartnerScope;
import io.caduceus.api.patient.Patient;
import io.caduceus.api.sql.RecordSearch;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.keys.TenantKeyring;
import io.caduceus.routing.keys.TenantKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Claims as the clinic's accountant submits them and both sides read them. A claim bills a signed encounter's
 * unbilled charges to a linked insurer, with the visit's diagnoses, date and rendering provider and the patient's
 * member id; the claim, its charges' billing, its audit row naming the insurer and its exchange message commit
 * together. The insurer's copy holds only that: identifying demographics, the member id, codes and amounts, never
 * the clinic's notes, vitals or results.
 */
public final class ClaimService {

  static final String SUBMITTED = "claim.submitted";

  private final TenantDb db;
  private final TenantCatalog catalog;
  private final TenantKeyring keyring;
  private final Exchange exchange;
  private final ExchangeSeal seal;
  private final Cursors cursors;
  private final ClaimRepository claims = new ClaimRepository();
  private final ChargeRepository charges = new ChargeRepository();

  public ClaimService(TenantDb db, TenantCatalog catalog, TenantKeyring keyring, Exchange exchange, ExchangeSeal seal,
                      Cursors cursors) {
    this.db = db;
    this.catalog = catalog;
    this.keyring = keyring;
    this.exchange = exchange;
    this.seal = seal;
    this.cursors = cursors;
  }

  /** Submits the unbilled charges of a signed encounter to a linked insurer. */
  public Future<BillingView> submit(TenantContext ctx, JsonObject body) {
    UUID encounterId = UUID.fromString(body.getString("encounterId"));
    TenantId insurer = TenantId.parse(body.getString("insurerTenantId"));
    UUID id = UuidV7.next();
    ctx.audit().about(id).partner(insurer.value());
    return Access.check(ctx, Permission.BILLING)
        .compose(v -> exchange.link(ctx.tenantId(), insurer, PartnerScope.CLAIMS))
        .compose(link -> keyring.keys(ctx.tenantId()).compose(keys -> catalog.find(ctx.tenantId())
            .compose(clinic -> db.inTenant(ctx, conn -> submit(conn, ctx, keys, link, id, encounterId,
                clinic.map(t -> ZoneId.of(t.timeZone())).orElse(ZoneOffset.UTC))))))
        .recover(failure -> ConstraintViolation.of(failure, "claim_one_per_encounter")
            ? Future.failedFuture(new Conflict("this encounter has been claimed already"))
            : Future.failedFuture(failure));
  }

  private Future<BillingView> submit(SqlConnection conn, TenantContext ctx, TenantKeys keys, PartnerLink link, UUID id,
                              UUID encounterId, ZoneId zone) {
    return claims.lockVisit(conn, encounterId).compose(found -> {
      ClaimRepository.Visit visit = found.orElseThrow(() -> new NotFound("no such encounter"));
      if (!"signed".equals(visit.status())) {
        return Future.failedFuture(new Conflict("a claim bills a signed encounter; this one is " + visit.status()));
      }
      UUID patientId = visit.patientId();
      if (visit.memberIdSealed() == null) {
        return Future.failedFuture(new Conflict("the patient's record has no insurance member id"));
      }
      String memberId = keys.open(Patient.memberIdBinding(patientId), visit.memberIdSealed());
      LocalDate serviceDate = visit.startsAt().atZoneSameInstant(zone).toLocalDate();
      String given = visit.providerGivenName();
      JsonObject provider = new JsonObject().put("name", (given == null ? "" : given + " ")
          + visit.providerFamilyName()).put("npi", visit.providerNpi());
      return Future.all(charges.lockUnbilled(conn, encounterId), claims.diagnoses(conn, encounterId))
          .compose(both -> {
            List<Charge> unbilled = both.resultAt(0);
            if (unbilled.isEmpty()) {
              return Future.failedFuture(new Conflict("the encounter has no unbilled charges; generate them with"
                  + " POST /v1/encounters/" + encounterId + "/charges"));
            }
            if (unbilled.stream().map(Charge::currency).distinct().count() > 1) {
              return Future.failedFuture(new Conflict("the charges are in several currencies; one claim bills one"));
            }
            JsonArray diagnoses = both.resultAt(1);
            JsonArray lines = new JsonArray();
            unbilled.forEach(c -> lines.add(c.claimLine()));
            Claim claim = new Claim(id, "outgoing", link.other(ctx.tenantId()), null, link.id(), patientId,
                encounterId, null, keys.seal(MemberIds.claimBinding(id), memberId), serviceDate, provider, diagnoses,
                lines, unbilled.get(0).currency(), unbilled.stream().mapToLong(Charge::amountCents).sum(), null, 0,
                ClaimStatus.SUBMITTED, null, new JsonArray(), null, null, null, 1);
            return claims.insert(conn, ctx, claim)
                .compose(stored -> charges.bill(conn, encounterId, id)
                    .compose(v -> ExchangedPatients.document(conn, patientId, false))
                    .compose(patient -> exchange.send(conn, ctx, link, SUBMITTED, id, patientId, new JsonObject()
                        .put("claimId", id.toString()).put("patient", patient)
                        .put("memberIdSealed", seal.seal(id, memberId)).put("serviceDate", serviceDate.toString())
                        .put("provider", provider).put("diagnoses", diagnoses).put("lines", lines)
                        .put("currency", claim.currency()).put("totalCents", claim.totalCents())))
                    .map(v -> view(ctx, keys, stored)));
          });
    });
  }

  /** One claim with its payments; a patient reads their bills through the portal instead. */
  public Future<BillingView> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.CLAIM_READ)
        .compose(v -> keyring.keys(ctx.tenantId()))
        .compose(keys -> db.once(ctx, conn -> claims.find(conn, id)).map(c -> view(ctx, keys, c)))
        .onSuccess(c -> ctx.audit().patient(c.patientId()));
  }

  /** One page of claims, oldest first: a clinic's outgoing claims, or an insurer's incoming work. */
  public Future<Page<BillingView>> list(TenantContext ctx, String direction, ClaimStatus status, UUID patientId, int limit,
                                 String cursor) {
    String filters = direction + "|" + status + "|" + patientId;
    return Access.check(ctx, Permission.CLAIM_READ)
        .compose(v -> keyring.keys(ctx.tenantId()))
        .compose(keys -> {
          Position after = cursors.after(ctx, "claims", filters, cursor);
          return db.once(ctx, conn -> claims.list(conn, direction, status, patientId, after.at(), after.id(),
                  limit + 1))
              .map(found -> Page.of(found, limit,
                      last -> cursors.seal(ctx, "claims", filters, last.createdAt(), last.id()))
                  .map(c -> view(ctx, keys, c)));
        })
        .onSuccess(page -> ctx.audit().patients(page.items().stream().map(BillingView::patientId).distinct().toList()));
  }

  /** One page of claims (with their payments) under a search's filters, oldest first. */
  public Future<Page<BillingView>> search(TenantContext ctx, RecordSearch search, int limit, String cursor) {
    return Access.check(ctx, Permission.CLAIM_READ)
        .compose(v -> keyring.keys(ctx.tenantId()))
        .compose(keys -> {
          Position after = cursors.after(ctx, "claim-search", search.fingerprint(), cursor);
          return db.once(ctx, conn -> claims.search(conn, search, after.at(), after.id(), limit + 1))
              .map(found -> Page.of(found, limit, last -> cursors.seal(ctx, "claim-search", search.fingerprint(),
                  last.createdAt(), last.id())).map(c -> view(ctx, keys, c)));
        })
        .onSuccess(page -> ctx.audit().patients(page.items().stream().map(BillingView::patientId).distinct().toList()));
  }

  /** How many claims match a search's filters (as {@link #search} would list them). */
  public Future<Integer> count(TenantContext ctx, RecordSearch search) {
    return Access.check(ctx, Permission.CLAIM_READ).compose(v -> db.once(ctx, conn -> claims.count(conn, search)));
  }

  static BillingView view(TenantContext ctx, TenantKeys keys, Claim c) {
    return new BillingView(c.id(), c.patientId(), c.version(),
        c.toJson(keys, Access.has(ctx, Permission.PATIENT_INSURANCE_READ)));
  }
}
