package io.caduceus.api.billing;

import io.caduceus.api.error.NotFound;
import io.caduceus.api.sql.RecordSearch;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;


/** An insurer's coverage rows; it runs on the connection {@code TenantDb} opened for the insurer. */
final class CoverageRepository {

  /** A coverage found by its member id, with what an eligibility answer checks the patient against. */
  record Member(Coverage coverage, String familyName, LocalDate birthDate) {
  }

  /** Inserts a coverage of a live patient; false if there is no such patient. */
  Future<Boolean> insert(SqlConnection conn, TenantContext ctx, UUID id, UUID patientId, byte[] memberIdSealed,
                         byte[] memberIdIndex, String plan, String status, LocalDate periodStart,
                         LocalDate periodEnd) {
    return conn.preparedQuery(BillingSql.COVERAGE_INSERT).execute(Tuple.from(new Object[] {ctx.tenantId().value(),
            id, patientId, Buffer.buffer(memberIdSealed), Buffer.buffer(memberIdIndex), plan, status, periodStart,
            periodEnd}))
        .map(rows -> rows.rowCount() == 1);
  }

  /** One coverage. */
  Future<Coverage> find(SqlConnection conn, UUID id) {
    return conn.preparedQuery(BillingSql.COVERAGE_FIND).execute(Tuple.of(id))
        .map(rows -> Rows.optional(rows, Coverage::fromRow).orElseThrow(() -> new NotFound("no such coverage")));
  }

  /** Writes the plan, status and period if the coverage is still at {@code version}; false otherwise. */
  Future<Boolean> update(SqlConnection conn, UUID id, int version, String plan, String status,
                         LocalDate periodStart, LocalDate periodEnd) {
    return conn.preparedQuery(BillingSql.COVERAGE_UPDATE)
        .execute(Tuple.of(id, version, plan, status, periodStart, periodEnd))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Coverage oldest first, after the given position, for a patient or in a status. */
  Future<List<Coverage>> list(SqlConnection conn, UUID patientId, String status, Instant afterCreated, UUID afterId,
                              int limit) {
    return BillingSql.COVERAGE_LIST.page(conn, Arrays.asList(patientId, status), afterCreated, afterId, limit)
        .map(rows -> Rows.list(rows, Coverage::fromRow));
  }

  /** Coverage oldest first under a search's filters, after the given position. */
  Future<List<Coverage>> search(SqlConnection conn, RecordSearch search, Instant afterCreated, UUID afterId,
                                int limit) {
    return search.page(BillingSql.COVERAGE_SEARCH, BillingSql.COVERAGE_SEARCHED, conn, afterCreated, afterId, limit)
        .map(rows -> Rows.list(rows, Coverage::fromRow));
  }

  /** How many coverages match a search's filters. */
  Future<Integer> count(SqlConnection conn, RecordSearch search) {
    return search.count(BillingSql.COVERAGE_SEARCH, BillingSql.COVERAGE_SEARCHED, conn);
  }

  /** The coverage of a live patient that a member id's blind index finds, if any. */
  Future<Optional<Member>> byMember(SqlConnection conn, byte[] memberIdIndex) {
    return conn.preparedQuery(BillingSql.COVERAGE_BY_MEMBER).execute(Tuple.of(Buffer.buffer(memberIdIndex)))
        .map(rows -> Rows.optional(rows, row -> new Member(Coverage.fromRow(row), row.getString("family_name"),
            row.getLocalDate("birth_date"))));
  }

  /** The id of the coverage a member id's blind index finds, if any. */
  Future<Optional<UUID>> idByMember(SqlConnection conn, byte[] memberIdIndex) {
    return conn.preparedQuery(BillingSql.COVERAGE_ID_BY_MEMBER).execute(Tuple.of(Buffer.buffer(memberIdIndex)))
        .map(rows -> Rows.optional(rows, row -> row.getUUID("id")));
  }
}
