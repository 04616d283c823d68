package io.caduceus.api.audit;

import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.List;

/**
 * Recomputes a tenant's chain from its first seal ({@link ChainWalk}) and reports every broken range. Each page of
 * seals is checked in its own transaction, so a long chain never holds one connection for the whole run; the events
 * of a seal's range are read in chain order, and only a seal that disagrees with the trail asks which other seals
 * list its odd events.
 */
final class AuditVerifier {

  private static final int SEAL_PAGE = 50;

  private final TenantDb db;
  private final ChainRepository chain = new ChainRepository();

  AuditVerifier(TenantDb db) {
    this.db = db;
  }

  /** Verifies the chain of the scope's tenant (the caller has checked who may). */
  Future<AuditVerification> verify(TenantContext scope) {
    return db.once(scope, conn -> chain.repairs(conn, scope.tenantId()))
        .compose(repairs -> walk(scope, new ChainWalk(repairs)));
  }

  private Future<AuditVerification> walk(TenantContext scope, ChainWalk walk) {
    TenantId tenant = scope.tenantId();
    return db.inTenant(scope, conn -> chain.seals(conn, tenant, walk.lastSeq(), SEAL_PAGE)
            .compose(page -> checkPage(conn, walk, page, tenant)))
        .compose(verdict -> verdict != null ? Future.succeededFuture(verdict) : walk(scope, walk));
  }

  /** Checks a page of seals: the verdict once none is left, null while more may follow. */
  private Future<AuditVerification> checkPage(SqlConnection conn, ChainWalk walk, List<StoredSeal> page,
                                              TenantId tenant) {
    if (page.isEmpty()) {
      walk.finish();
      return chain.countAfter(conn, tenant, walk.at()).map(walk::verdict);
    }
    Future<Void> checked = Future.succeededFuture();
    for (StoredSeal seal : page) {
      checked = checked.compose(v -> check(conn, walk, seal, tenant));
    }
    return checked.map(v -> null);
  }

  private Future<Void> check(SqlConnection conn, ChainWalk walk, StoredSeal seal, TenantId tenant) {
    if (!walk.admit(seal)) {
      return Future.succeededFuture();
    }
    return chain.sealedRange(conn, tenant, walk.at(), seal).compose(events -> {
      ChainWalk.SealCheck check = walk.check(seal, events);
      Future<Void> settled = check.settled() ? Future.succeededFuture()
          : chain.lookup(conn, tenant, ChainWalk.asked(seal, check)).map(found -> {
            walk.classify(seal, check, found);
            return null;
          });
      return settled.map(v -> {
        walk.end(seal, events.size());
        return null;
      });
    });
  }
}
