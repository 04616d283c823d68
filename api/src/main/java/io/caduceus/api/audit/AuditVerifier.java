package io.caduceus.api.audit;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Recomputes a tenant's chain from its first seal ({@link ChainWalk}) and reports every broken range. Each page of
 * seals is checked in its own transaction, so a long chain never holds one connection for the whole run; the events
 * of a seal's range are read in chain order, and only a seal that disagrees with the trail asks which other seals
 * list its odd events.
 */
final class AuditVerifier {

  private static final int SEAL_PAGE = 50;

  private final TenantDb db;

  AuditVerifier(TenantDb db) {
    this.db = db;
  }

  /** Verifies the chain of the scope's tenant (the caller has checked who may). */
  Future<AuditVerification> verify(TenantContext scope) {
    UUID tenant = scope.tenantId().value();
    return db.once(scope, conn -> conn.preparedQuery(AuditSql.REPAIRS).execute(Tuple.of(tenant))).compose(rows ->
        walk(scope, new ChainWalk(Rows.list(rows, AuditRepair::fromRow))));
  }

  private Future<AuditVerification> walk(TenantContext scope, ChainWalk walk) {
    UUID tenant = scope.tenantId().value();
    return db.inTenant(scope, conn -> conn.preparedQuery(AuditSql.SEALS)
        .execute(Tuple.of(walk.lastSeq(), SEAL_PAGE, tenant)).compose(page -> {
          if (page.size() == 0) {
            walk.finish();
            ChainPoint head = walk.at();
            return conn.preparedQuery(AuditSql.COUNT_AFTER).execute(Tuple.of(head.txid(), head.eventId(), tenant))
                .map(rows -> walk.verdict(rows.iterator().next().getLong("n")));
          }
          Future<Void> checked = Future.succeededFuture();
          for (Row row : page) {
            StoredSeal seal = StoredSeal.fromRow(row);
            checked = checked.compose(v -> check(conn, walk, seal, tenant));
          }
          return checked.map(v -> (AuditVerification) null);
        }))
        .compose(verdict -> verdict != null ? Future.succeededFuture(verdict) : walk(scope, walk));
  }

  private Future<Void> check(SqlConnection conn, ChainWalk walk, StoredSeal seal, UUID tenant) {
    if (!walk.admit(seal)) {
      return Future.succeededFuture();
    }
    ChainPoint from = walk.at();
    Tuple range = Tuple.of(from.txid(), from.eventId(), seal.lastTxid(), seal.lastEventId(), tenant);
    return conn.preparedQuery(AuditSql.SEALED_RANGE).execute(range).compose(rows -> {
      List<AuditRecord> events = Rows.list(rows, AuditRecord::fromRow);
      ChainWalk.SealCheck check = walk.check(seal, events);
      Future<Void> settled = check.settled() ? Future.succeededFuture()
          : conn.preparedQuery(AuditSql.LOOKUP).execute(Tuple.of(tenant, (Object) ChainWalk.asked(seal, check)))
              .map(found -> {
                walk.classify(seal, check, lookups(found));
                return null;
              });
      return settled.map(v -> {
        walk.end(seal, events.size());
        return null;
      });
    });
  }

  private static Map<UUID, ChainWalk.Lookup> lookups(RowSet<Row> rows) {
    Map<UUID, ChainWalk.Lookup> found = new HashMap<>();
    for (Row row : rows) {
      AuditRecord record = row.getUUID("id") == null ? null : AuditRecord.fromRow(row);
      List<Long> listedIn = Arrays.stream(row.getArrayOfLongs("listed_in")).toList();
      found.put(row.getUUID("asked"), new ChainWalk.Lookup(record, listedIn));
    }
    return found;
  }
}
