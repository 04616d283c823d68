package io.caduceus.api.audit;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A tenant's audit chain as stored: its seals, its repairs, the events they cover, and the lock sealing and
 * repairing share; on a connection {@code TenantDb} opened for that tenant.
 */
final class ChainRepository {

  /** What a repair must know under the lock: the last seal, and how far earlier repairs reached (null: none). */
  record RepairState(Long head, Long repairs, Long repairedTo) {
  }

  /** Takes the tenant's sealing lock for the transaction unless another holds it; false if another does. */
  Future<Boolean> tryLock(SqlConnection conn, TenantId tenant) {
    return conn.preparedQuery(AuditSql.TRY_LOCK).execute(Tuple.of(tenant.toString()))
        .map(rows -> rows.iterator().next().getBoolean("locked"));
  }

  /** Waits for the tenant's sealing lock and holds it for the transaction. */
  Future<Void> lock(SqlConnection conn, TenantId tenant) {
    return conn.preparedQuery(AuditSql.LOCK).execute(Tuple.of(tenant.toString())).mapEmpty();
  }

  /** Where the next seal goes on from: the last seal, or the last repair; {@link ChainPoint#GENESIS} before both. */
  Future<ChainPoint> head(SqlConnection conn, TenantId tenant) {
    return conn.preparedQuery(AuditSql.HEAD).execute(Tuple.of(tenant.value()))
        .map(rows -> Rows.optional(rows, row -> new ChainPoint(row.getLong("seq"),
            row.getBuffer("seal_hash").getBytes(), row.getLong("last_chain_txid"), row.getUUID("last_event_id")))
            .orElse(ChainPoint.GENESIS));
  }

  /** Up to {@code limit} events after {@code after} in chain order, none a running transaction could precede. */
  Future<List<AuditRecord>> nextEvents(SqlConnection conn, TenantId tenant, ChainPoint after, int limit) {
    return conn.preparedQuery(AuditSql.NEXT_EVENTS).execute(Tuple.of(after.txid(), after.eventId(), limit,
        tenant.value())).map(rows -> Rows.list(rows, AuditRecord::fromRow));
  }

  /** Stores a new seal. */
  Future<Void> insertSeal(SqlConnection conn, TenantId tenant, StoredSeal seal) {
    Buffer[] hashes = Arrays.stream(seal.eventHashes()).map(Buffer::buffer).toArray(Buffer[]::new);
    return conn.preparedQuery(AuditSql.INSERT_SEAL).execute(Tuple.from(new Object[] {tenant.value(), seal.seq(),
        seal.lastTxid(), seal.lastEventId(), seal.eventIds(), hashes, Buffer.buffer(seal.prevHash()),
        Buffer.buffer(seal.sealHash())})).mapEmpty();
  }

  /** Up to {@code limit} seals after seal {@code afterSeq}, in order. */
  Future<List<StoredSeal>> seals(SqlConnection conn, TenantId tenant, long afterSeq, int limit) {
    return conn.preparedQuery(AuditSql.SEALS).execute(Tuple.of(afterSeq, limit, tenant.value()))
        .map(rows -> Rows.list(rows, StoredSeal::fromRow));
  }

  /** Feeds the seals {@code from..to} to {@code each} in order, a page at a time (there may be many). */
  Future<Void> eachSealBetween(SqlConnection conn, TenantId tenant, long from, long to, int page,
                               Consumer<StoredSeal> each) {
    return conn.prepare(AuditSql.SEALS_BETWEEN).compose(statement -> {
      Cursor cursor = statement.cursor(Tuple.of(tenant.value(), from, to));
      return drain(cursor, page, each).eventually(statement::close);
    });
  }

  /** The events after {@code from} up to the seal's last one, in chain order: the range the seal covers. */
  Future<List<AuditRecord>> sealedRange(SqlConnection conn, TenantId tenant, ChainPoint from, StoredSeal seal) {
    return conn.preparedQuery(AuditSql.SEALED_RANGE).execute(Tuple.of(from.txid(), from.eventId(), seal.lastTxid(),
        seal.lastEventId(), tenant.value())).map(rows -> Rows.list(rows, AuditRecord::fromRow));
  }

  /** How many events come after {@code after} in chain order. */
  Future<Long> countAfter(SqlConnection conn, TenantId tenant, ChainPoint after) {
    return conn.preparedQuery(AuditSql.COUNT_AFTER).execute(Tuple.of(after.txid(), after.eventId(), tenant.value()))
        .map(rows -> rows.iterator().next().getLong("n"));
  }

  /** Each asked-for event as stored (null when it is not), with the seals that list it, by its id. */
  Future<Map<UUID, ChainWalk.Lookup>> lookup(SqlConnection conn, TenantId tenant, UUID[] asked) {
    return conn.preparedQuery(AuditSql.LOOKUP).execute(Tuple.of(tenant.value(), (Object) asked))
        .map(ChainRepository::lookups);
  }

  /** The tenant's repairs, in order. */
  Future<List<AuditRepair>> repairs(SqlConnection conn, TenantId tenant) {
    return conn.preparedQuery(AuditSql.REPAIRS).execute(Tuple.of(tenant.value()))
        .map(rows -> Rows.list(rows, AuditRepair::fromRow));
  }

  /** One repair of the tenant's chain; empty if there is no such repair. */
  Future<Optional<AuditRepair>> repair(SqlConnection conn, TenantId tenant, UUID id) {
    return conn.preparedQuery(AuditSql.REPAIR).execute(Tuple.of(tenant.value(), id))
        .map(rows -> Rows.optional(rows, AuditRepair::fromRow));
  }

  /** What a new repair goes on from; read under the lock. */
  Future<RepairState> repairState(SqlConnection conn, TenantId tenant) {
    return conn.preparedQuery(AuditSql.REPAIR_STATE).execute(Tuple.of(tenant.value())).map(rows -> {
      Row row = rows.iterator().next();
      return new RepairState(row.getLong("head"), row.getLong("repairs"), row.getLong("repaired_to"));
    });
  }

  /** Stores a new repair. */
  Future<Void> insertRepair(SqlConnection conn, AuditRepair repair) {
    return conn.preparedQuery(AuditSql.INSERT_REPAIR).execute(repair.toTuple()).mapEmpty();
  }

  private static Future<Void> drain(Cursor cursor, int page, Consumer<StoredSeal> each) {
    return cursor.read(page).compose(rows -> {
      rows.forEach(row -> each.accept(StoredSeal.fromRow(row)));
      return cursor.hasMore() ? drain(cursor, page, each) : cursor.close();
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
