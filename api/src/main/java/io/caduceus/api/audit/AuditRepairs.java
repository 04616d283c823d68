package io.caduceus.api.audit;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The platform owner's hand on a tenant's audit chain: verify it, repair it, read a repair. The platform runs the
 * sealer, so a chain its sealer broke is the platform's to repair, and each repair is recorded in the tenant's own
 * trail where its admins see it. Anyone else is refused: with 403 for their own tenant, and with 404 for another,
 * which must not learn whether that tenant exists. A refusal is the request's audit record (declared in the
 * contract, naming the caller's tenant as the partner); once the tenant is in reach, its own trail records the look
 * or the repair instead.
 */
public final class AuditRepairs {

  static final int MIN_REASON = 10;

  private final TenantDb db;
  private final TenantCatalog catalog;
  private final RegionRegistry regions;
  private final AuditTrail audit;
  private final AuditVerifier verifier;
  private final ChainRepair repairs;
  private final ChainRepository chain = new ChainRepository();

  public AuditRepairs(TenantDb db, TenantCatalog catalog, RegionRegistry regions, AuditTrail audit) {
    this.db = db;
    this.catalog = catalog;
    this.regions = regions;
    this.audit = audit;
    this.verifier = new AuditVerifier(db);
    this.repairs = new ChainRepair(db, audit);
  }

  /** Verifies the tenant's chain; the look is recorded in the tenant's trail. */
  public Future<AuditVerification> verify(TenantContext ctx, TenantId tenantId) {
    AuditEvent event = new AuditEvent("audit.verify", "audit_chain", tenantId.value(), List.of(),
        AuditEvent.Outcome.SUCCESS, ctx.tenantId().value());
    return scope(ctx, tenantId)
        .compose(scope -> inTenantsTrail(ctx, scope))
        .compose(scope -> verifier.verify(scope).transform(result -> audit.recordOutcome(scope, event, result)));
  }

  /**
   * Repairs the tenant's chain from its first broken link, which the caller confirms ({@code firstBrokenSeal}) so a
   * repair never covers a break nobody looked at; {@code reason} says why, for the record.
   */
  public Future<AuditRepair> repair(TenantContext ctx, TenantId tenantId, JsonObject body) {
    String reason = body.getString("reason", "").strip();
    long confirmed = body.getLong("firstBrokenSeal", 0L);
    return scope(ctx, tenantId)
        .compose(scope -> inTenantsTrail(ctx, scope))
        .compose(scope -> reason.length() < MIN_REASON
            ? Future.<AuditRepair>failedFuture(new Invalid("/reason", "say why, in at least " + MIN_REASON
                + " characters"))
            : repairs.repair(scope, confirmed, reason, ctx.tenantId().value()));
  }

  /** One recorded repair of the tenant's chain. */
  public Future<AuditRepair> get(TenantContext ctx, TenantId tenantId, UUID repairId) {
    return scope(ctx, tenantId)
        .compose(scope -> db.once(scope, conn -> chain.repair(conn, tenantId, repairId)))
        .map(found -> found.orElseThrow(() -> new NotFound("no such repair")));
  }

  /**
   * The platform owner acting in the tenant's scope (recorded as the actor, with the request's id and address). The
   * request's record names the caller's tenant as the partner, for a refusal.
   */
  private Future<TenantContext> scope(TenantContext ctx, TenantId tenantId) {
    ctx.audit().partner(ctx.tenantId().value());
    if (!Access.has(ctx, Permission.PLATFORM_TENANTS_MANAGE)) {
      return Future.failedFuture(ctx.tenantId().equals(tenantId)
          ? new Forbidden("the audit chain is repaired by the platform owner")
          : new NotFound("no such tenant"));
    }
    return catalog.findFresh(tenantId).map(found -> {
      Tenant tenant = found.orElseThrow(() -> new NotFound("no such tenant"));
      if (!regions.serves(tenant.dataRegion())) {
        throw new Conflict("the tenant's region is served by other nodes; ask one of them");
      }
      return new TenantContext(tenant.id(), tenant.dataRegion(), tenant.tier(), ctx.userId(), ctx.roles(),
          Set.of(Permission.AUDIT_READ.key()), Optional.empty(), ctx.requestId(), ctx.clientAddress(), null);
    });
  }

  /** The tenant's own trail records what happens from here on, so the request's record is withheld. */
  private static Future<TenantContext> inTenantsTrail(TenantContext ctx, TenantContext scope) {
    ctx.audit().withheld();
    return Future.succeededFuture(scope);
  }
}
