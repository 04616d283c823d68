package io.caduceus.api.audit;

import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Hash-chains each tenant's new audit events into seals, a batch at a time, so no single row is hot. Events are
 * chained in (txid, id) order, transaction ids compared as numbers, and only below the snapshot's xmin: every
 * transaction that could still add an event there has ended, so a late commit can never slip in behind a seal.
 * Several nodes may run the sealer; a per-tenant advisory lock keeps them from doing the same work twice (a tenant
 * another sealer holds is skipped this time). After a repair, the chain goes on from the repair record.
 */
public final class AuditSealer {

  private static final UUID SEALER = new UUID(0, 0);

  private final TenantDb db;
  private final RegionRegistry regions;
  private final int batchSize;
  private final ChainRepository chain = new ChainRepository();

  public AuditSealer(TenantDb db, RegionRegistry regions, int batchSize) {
    this.db = db;
    this.regions = regions;
    this.batchSize = batchSize;
  }

  /** Seals every tenant's pending events in every region; returns how many events were sealed. */
  public Future<Integer> sealAll() {
    Future<Integer> total = Future.succeededFuture(0);
    for (String region : regions.regions()) {
      total = total.compose(sum -> sealRegion(region).map(n -> sum + n));
    }
    return total;
  }

  private Future<Integer> sealRegion(String region) {
    return db.scan("audit-sealer", region, AuditSql.UNSEALED_TENANTS, Tuple.tuple()).compose(rows -> {
      Future<Integer> sealed = Future.succeededFuture(0);
      for (Row row : rows) {
        TenantId tenant = new TenantId(row.getUUID("tenant_id"));
        // A tenant whose writes a tier move holds is sealed after the move, in its new place.
        sealed = sealed.compose(sum -> sealTenant(region, tenant).map(n -> sum + n)
            .recover(e -> e instanceof TenantDb.WritesPaused ? Future.succeededFuture(sum) : Future.failedFuture(e)));
      }
      return sealed;
    });
  }

  /** Seals a tenant's pending events, batch after batch, until none is left. */
  public Future<Integer> sealTenant(String region, TenantId tenant) {
    TenantContext ctx = TenantContext.system(tenant, region, IsolationTier.SHARED, SEALER, Set.of(), "audit-sealer");
    return db.inTenant(ctx, conn -> sealBatch(conn, tenant)).compose(n -> n < batchSize
        ? Future.succeededFuture(n)
        : sealTenant(region, tenant).map(more -> n + more));
  }

  private Future<Integer> sealBatch(SqlConnection conn, TenantId tenant) {
    return chain.tryLock(conn, tenant).compose(locked -> !locked ? Future.succeededFuture(0)
        : chain.head(conn, tenant).compose(head -> chain.nextEvents(conn, tenant, head, batchSize)
            .compose(events -> insertSeal(conn, tenant, head, events))));
  }

  private Future<Integer> insertSeal(SqlConnection conn, TenantId tenant, ChainPoint head, List<AuditRecord> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(0);
    }
    byte[] link = head.link();
    UUID[] ids = new UUID[events.size()];
    byte[][] hashes = new byte[events.size()][];
    for (int i = 0; i < events.size(); i++) {
      link = AuditChain.link(link, events.get(i));
      ids[i] = events.get(i).id();
      hashes[i] = link;
    }
    AuditRecord last = events.get(events.size() - 1);
    StoredSeal seal = new StoredSeal(head.seq() + 1, last.txid(), last.id(), ids, hashes, head.link(), link);
    return chain.insertSeal(conn, tenant, seal).map(v -> events.size());
  }
}
