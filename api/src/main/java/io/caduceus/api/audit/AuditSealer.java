package io.caduceus.api.audit;

import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
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
    return conn.preparedQuery(AuditSql.TRY_LOCK).execute(Tuple.of(tenant.toString())).compose(lock -> {
      if (!lock.iterator().next().getBoolean("locked")) {
        return Future.succeededFuture(0);
      }
      return conn.preparedQuery(AuditSql.HEAD).execute(Tuple.of(tenant.value())).compose(head -> {
        Row last = head.size() == 0 ? null : head.iterator().next();
        Tuple after = last == null ? Tuple.of(null, null, batchSize, tenant.value())
            : Tuple.of(last.getLong("last_chain_txid"), last.getUUID("last_event_id"), batchSize, tenant.value());
        return conn.preparedQuery(AuditSql.NEXT_EVENTS).execute(after)
            .compose(events -> insertSeal(conn, tenant, last, events));
      });
    });
  }

  private Future<Integer> insertSeal(SqlConnection conn, TenantId tenant, Row head, RowSet<Row> events) {
    if (events.size() == 0) {
      return Future.succeededFuture(0);
    }
    byte[] prev = head == null ? AuditChain.GENESIS : head.getBuffer("seal_hash").getBytes();
    long seq = head == null ? 1 : head.getLong("seq") + 1;
    byte[] link = prev;
    List<UUID> ids = new ArrayList<>();
    List<Buffer> hashes = new ArrayList<>();
    AuditRecord lastRecord = null;
    for (Row row : events) {
      lastRecord = AuditRecord.fromRow(row);
      link = AuditChain.link(link, lastRecord);
      ids.add(lastRecord.id());
      hashes.add(Buffer.buffer(link));
    }
    Tuple seal = Tuple.from(new Object[] {tenant.value(), seq, lastRecord.txid(), lastRecord.id(),
        ids.toArray(new UUID[0]), hashes.toArray(new Buffer[0]), Buffer.buffer(prev), Buffer.buffer(link)});
    return conn.preparedQuery(AuditSql.INSERT_SEAL).execute(seal).map(v -> ids.size());
  }
}
