package io.caduceus.api.billing;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.api.http.Requests;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.api.paging.Position;
import io.caduceus.api.sql.RecordSearch;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.keys.TenantKeyring;
import io.caduceus.routing.keys.TenantKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * An insurer's members: the coverage (plan, member id, status, period) it keeps for each, which eligibility
 * questions and incoming claims are matched against. The member id is sealed under the insurer's key and found
 * through its blind index; it is fixed for the life of a coverage (a new id is a new coverage). The contract declares
 * each operation's audit record; the service names the coverage's patient.
 */
public final class CoverageService {

  private final TenantDb db;
  private final TenantKeyring keyring;
  private final Cursors cursors;
  private final CoverageRepository coverages = new CoverageRepository();

  public CoverageService(TenantDb db, TenantKeyring keyring, Cursors cursors) {
    this.db = db;
    this.keyring = keyring;
    this.cursors = cursors;
  }

  /** Records a member's coverage for one of the insurer's patients. */
  public Future<BillingView> create(TenantContext ctx, JsonObject body) {
    UUID id = UuidV7.next();
    UUID patientId = UUID.fromString(body.getString("patientId"));
    ctx.audit().about(id).patient(patientId);
    return Access.check(ctx, Permission.COVERAGE_MANAGE)
        .map(v -> Period.of(body.getString("periodStart"), body.getString("periodEnd")))
        .compose(period -> keyring.keys(ctx.tenantId()).compose(keys -> db.inTenant(ctx, conn -> coverages
            .insert(conn, ctx, id, patientId, keys.seal(MemberIds.coverageBinding(id), body.getString("memberId")),
                MemberIds.index(keys, body.getString("memberId")), body.getString("plan"),
                body.getString("status", "active"), period.start(), period.end())
            .compose(inserted -> inserted ? coverages.find(conn, id)
                : Future.failedFuture(new NotFound("no such patient")))
            .map(c -> c.toJson(keys))
            .map(json -> new BillingView(id, patientId, json.getInteger("version"), json)))))
        .recover(failure -> ConstraintViolation.of(failure, "coverage_member_unique")
            ? Future.failedFuture(new Conflict("a coverage with this member id exists"))
            : Future.failedFuture(failure));
  }

  /** One coverage. */
  public Future<BillingView> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.COVERAGE_MANAGE)
        .compose(v -> keyring.keys(ctx.tenantId()))
        .compose(keys -> db.once(ctx, conn -> coverages.find(conn, id)).map(c -> view(c, keys)))
        .onSuccess(c -> ctx.audit().patient(c.patientId()));
  }

  /** Changes the plan, status or period (If-Match on the version). */
  public Future<BillingView> update(TenantContext ctx, UUID id, int version, JsonObject changes) {
    return Access.check(ctx, Permission.COVERAGE_MANAGE)
        .compose(v -> keyring.keys(ctx.tenantId()))
        .compose(keys -> db.inTenant(ctx, conn -> coverages.find(conn, id).compose(c -> {
          Period period = Period.of(changes.getString("periodStart", c.periodStart().toString()),
              changes.containsKey("periodEnd") ? changes.getString("periodEnd")
                  : c.periodEnd() == null ? null : c.periodEnd().toString());
          return coverages.update(conn, id, version, changes.getString("plan", c.plan()),
                  changes.getString("status", c.status()), period.start(), period.end())
              .compose(updated -> updated ? coverages.find(conn, id)
                  : Future.failedFuture(new PreconditionFailed("the coverage has changed; read it again")))
              .map(updated -> {
                ctx.audit().patient(updated.patientId());
                return view(updated, keys);
              });
        })));
  }

  /** One page of coverage, oldest first, for a patient or in a status. */
  public Future<Page<BillingView>> list(TenantContext ctx, UUID patientId, String status, int limit, String cursor) {
    String filters = patientId + "|" + status;
    return Access.check(ctx, Permission.COVERAGE_MANAGE)
        .compose(v -> keyring.keys(ctx.tenantId()))
        .compose(keys -> {
          Position after = cursors.after(ctx, "coverages", filters, cursor);
          return db.once(ctx, conn -> coverages.list(conn, patientId, status, after.at(), after.id(), limit + 1))
              .map(found -> Page.of(found.stream().map(c -> view(c, keys)).toList(), limit,
                  last -> cursors.seal(ctx, "coverages", filters, Instant.parse(last.json().getString("createdAt")),
                      last.id())));
        })
        .onSuccess(page -> ctx.audit().patients(page.items().stream().map(BillingView::patientId).distinct().toList()))
        .onFailure(failure -> ctx.audit().patient(patientId));
  }

  /** One page of coverage under a search's filters, oldest first. */
  public Future<Page<BillingView>> search(TenantContext ctx, RecordSearch search, int limit, String cursor) {
    return Access.check(ctx, Permission.COVERAGE_MANAGE)
        .compose(v -> keyring.keys(ctx.tenantId()))
        .compose(keys -> {
          Position after = cursors.after(ctx, "coverage-search", search.fingerprint(), cursor);
          return db.once(ctx, conn -> coverages.search(conn, search, after.at(), after.id(), limit + 1))
              .map(found -> Page.of(found, limit, last -> cursors.seal(ctx, "coverage-search", search.fingerprint(),
                  last.createdAt(), last.id())).map(c -> view(c, keys)));
        })
        .onSuccess(page -> ctx.audit().patients(page.items().stream().map(BillingView::patientId).distinct().toList()));
  }

  /** How many coverages match a search's filters (as {@link #search} would list them). */
  public Future<Integer> count(TenantContext ctx, RecordSearch search) {
    return Access.check(ctx, Permission.COVERAGE_MANAGE)
        .compose(v -> db.once(ctx, conn -> coverages.count(conn, search)));
  }

  private static BillingView view(Coverage c, TenantKeys keys) {
    return new BillingView(c.id(), c.patientId(), c.version(), c.toJson(keys));
  }

  /** A coverage period: a start, and an end that is not before it (none while open-ended). */
  private record Period(LocalDate start, LocalDate end) {
    static Period of(String start, String end) {
      LocalDate from = Requests.date("/periodStart", start);
      LocalDate to = end == null ? null : Requests.date("/periodEnd", end);
      if (to != null && to.isBefore(from)) {
        throw new Invalid("/periodEnd", "the period ends before it starts");
      }
      return new Period(from, to);
    }
  }
}
