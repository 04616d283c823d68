package io.caduceus.api.lab;

import io.caduceus.api.exchange.CopyRepository;
import io.caduceus.api.paging.Position;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/** Lab orders (found as every exchanged copy is) and their results in the tenant's regional database. */
final class LabOrderRepository extends CopyRepository<LabOrder> {

  LabOrderRepository() {
    super(LabOrderSql.FIND, LabOrderSql.LOCK, LabOrderSql.BY_COUNTERPART, LabOrder::fromRow, "no such lab order");
  }

  /** Inserts a copy of an order and returns it as stored. */
  Future<LabOrder> insert(SqlConnection conn, TenantContext ctx, LabOrder o) {
    return conn.preparedQuery(LabOrderSql.INSERT).execute(Tuple.from(new Object[] {ctx.tenantId().value(), o.id(),
            o.direction(), o.counterpartTenant().value(), o.counterpartOrderId(), o.linkId(), o.patientId(),
            o.encounterId(), o.orderedBy(), o.ordererName(), o.ordererNpi(), o.tests(), o.priority(), o.note(),
            o.status().wire()}))
        .compose(v -> find(conn, o.id()));
  }

  /** Moves an order to {@code status}, learning the other copy's id and the report when given. */
  Future<Void> setStatus(SqlConnection conn, UUID id, LabOrderStatus status, UUID counterpartOrder, String report) {
    return conn.preparedQuery(LabOrderSql.SET_STATUS).execute(Tuple.of(id, status.wire(), counterpartOrder, report))
        .mapEmpty();
  }

  /** Stores results (already checked and flagged) of an order. */
  Future<Void> addResults(SqlConnection conn, TenantContext ctx, LabOrder o, List<LabResult> results) {
    List<Tuple> batch = new ArrayList<>();
    for (LabResult r : results) {
      batch.add(Tuple.from(new Object[] {ctx.tenantId().value(), UuidV7.next(), o.id(), o.patientId(), r.code(),
          r.display(), r.value(), r.valueText(), r.unit(), r.low(), r.high(), r.rangeText(), r.flag(),
          utc(r.resultedAt())}));
    }
    return batch.isEmpty() ? Future.succeededFuture()
        : conn.preparedQuery(LabOrderSql.ADD_RESULT).executeBatch(batch).mapEmpty();
  }

  /** Orders with their results matching a FHIR search, newest first, after the position. */
  Future<List<LabOrder>> search(SqlConnection conn, LabOrderFilter filter, Position after, int limit) {
    return LabOrderSql.SEARCH.page(conn, filter.values(), after.at(), after.id(), limit)
        .map(rows -> Rows.list(rows, LabOrder::fromRow));
  }

  /** How many orders match a FHIR search. */
  Future<Integer> count(SqlConnection conn, LabOrderFilter filter) {
    return LabOrderSql.SEARCH.count(conn, filter.values());
  }

  /** Orders oldest first, after the given position. */
  Future<List<LabOrder>> list(SqlConnection conn, String direction, LabOrderStatus status, UUID patientId,
                              Instant afterCreated, UUID afterId, int limit) {
    return LabOrderSql.LIST.page(conn, Arrays.asList(direction, status == null ? null : status.wire(), patientId),
        afterCreated, afterId, limit).map(rows -> Rows.list(rows, LabOrder::fromRow));
  }
}
