package io.caduceus.api.audit;

import io.caduceus.api.error.Conflict;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Re-seals a tenant's chain from its first broken link without rewriting anything stored: it records a repair
 * (superseding the seals from that link to the head, keeping their digest and the breaks verify found) and an
 * {@code audit.repair} event, both in one transaction under the tenant's sealing lock; the sealer then chains every
 * event after the last good link again, in order, starting from the repair's link.
 */
final class ChainRepair {

  private static final int SEAL_PAGE = 50;

  private final TenantDb db;
  private final AuditVerifier verifier;
  private final AuditTrail audit;
  private final ChainRepository chain = new ChainRepository();

  ChainRepair(TenantDb db, AuditTrail audit) {
    this.db = db;
    this.verifier = new AuditVerifier(db);
    this.audit = audit;
  }

  /**
   * Repairs the chain of the scope's tenant, which the caller saw first broken at seal {@code confirmedSeal}; the
   * scope's user is recorded as the repairer, acting for {@code actorTenant}.
   */
  Future<AuditRepair> repair(TenantContext scope, long confirmedSeal, String reason, UUID actorTenant) {
    return verifier.verify(scope)
        .compose(verdict -> planned(verdict, confirmedSeal))
        .compose(verdict -> db.inTenant(scope, conn -> record(conn, scope, verdict, reason, actorTenant)));
  }

  private static Future<AuditVerification> planned(AuditVerification verdict, long confirmedSeal) {
    if (verdict.intact()) {
      return Future.failedFuture(new Conflict("the audit chain is intact; there is nothing to repair"));
    }
    long first = verdict.firstBreak().fromSeal();
    if (first != confirmedSeal) {
      return Future.failedFuture(new Conflict("the chain first breaks at seal " + first + ", not at seal "
          + confirmedSeal + "; verify it again and confirm that seal"));
    }
    if (verdict.repairFrom() == null) {
      return Future.failedFuture(new Conflict("the chain first breaks in a repair, or before the last repair: a"
          + " repair must not re-seal over evidence an earlier one relied on; investigate it and restore the trail"
          + " from a backup"));
    }
    return Future.succeededFuture(verdict);
  }

  private Future<AuditRepair> record(SqlConnection conn, TenantContext scope, AuditVerification verdict,
                                     String reason, UUID actorTenant) {
    UUID tenant = scope.tenantId().value();
    long from = verdict.firstBreak().fromSeal();
    return chain.lock(conn, scope.tenantId())
        .compose(locked -> chain.repairState(conn, scope.tenantId()))
        .compose(state -> {
          if (state.repairedTo() != null && state.repairedTo() >= from) {
            throw new Conflict("another repair of this chain was recorded meanwhile; verify it again");
          }
          long head = Math.max(from, state.head() == null ? from : state.head());
          long seq = state.repairs() == null ? 1 : state.repairs() + 1;
          return digest(conn, scope.tenantId(), from, head).compose(digest -> {
            AuditRepair repair = AuditRepair.of(tenant, seq, UuidV7.next(), from, head, verdict.repairFrom(), digest,
                verdict.breaks(), reason, scope.userId(), Instant.now().truncatedTo(ChronoUnit.MICROS),
                scope.requestId());
            AuditEvent event = new AuditEvent("audit.repair", "audit_repair", repair.id(), List.of(),
                AuditEvent.Outcome.SUCCESS, actorTenant);
            return audit.record(conn, scope, event)
                .compose(v -> chain.insertRepair(conn, repair))
                .map(v -> repair);
          });
        });
  }

  /** The digest of the seals a repair supersedes, streamed (a chain broken long ago may have many). */
  private Future<byte[]> digest(SqlConnection conn, TenantId tenant, long from, long to) {
    SealDigest digest = new SealDigest();
    return chain.eachSealBetween(conn, tenant, from, to, SEAL_PAGE, digest::add).map(v -> digest.value());
  }
}
