package io.caduceus.api.billing;

import io.caduceus.api.error.NotFound;
import io.caduceus.api.sql.RecordSearch;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/** Claims and their payments in the tenant's regional database; it runs on the connection it is given. */
final class ClaimRepository {

  /** What a claim for an encounter carries from the chart: the visit, its provider and the sealed member id. */
  record Visit(String status, UUID patientId, OffsetDateTime startsAt, String providerGivenName,
               String providerFamilyName, String providerNpi, byte[] memberIdSealed) {
  }

  /** Inserts a copy of a claim (submitted) and returns it as stored. */
  Future<Claim> insert(SqlConnection conn, TenantContext ctx, Claim c) {
    return conn.preparedQuery(ClaimSql.INSERT).execute(Tuple.from(new Object[] {ctx.tenantId().value(), c.id(),
            c.direction(), c.counterpartTenant().value(), c.counterpartClaimId(), c.linkId(), c.patientId(),
            c.encounterId(), c.coverageId(), c.memberIdSealed() == null ? null : Buffer.buffer(c.memberIdSealed()),
            c.serviceDate(), c.provider(), c.diagnoses(), c.lines(), c.currency(), c.totalCents()}))
        .compose(v -> find(conn, c.id()));
  }

  /** One claim with its payments. */
  Future<Claim> find(SqlConnection conn, UUID id) {
    return conn.preparedQuery(ClaimSql.FIND).execute(Tuple.of(id)).map(ClaimRepository::existing);
  }

  /** One claim, locked for the rest of the transaction. */
  Future<Claim> lock(SqlConnection conn, UUID id) {
    return conn.preparedQuery(ClaimSql.LOCK).execute(Tuple.of(id)).map(ClaimRepository::existing);
  }

  /** Records the other copy's id, once. */
  Future<Void> learnCounterpart(SqlConnection conn, UUID id, UUID counterpartClaim) {
    return conn.preparedQuery(ClaimSql.LEARN_COUNTERPART).execute(Tuple.of(id, counterpartClaim)).mapEmpty();
  }

  /** Records the insurer's decision. */
  Future<Void> decide(SqlConnection conn, UUID id, ClaimStatus status, String decision, long approvedCents,
                      JsonArray reasons, UUID counterpartClaim) {
    return conn.preparedQuery(ClaimSql.DECIDE).execute(Tuple.of(id, status.wire(), decision, approvedCents, reasons,
        counterpartClaim)).mapEmpty();
  }

  /** Records one payment and the status it leaves the claim in. */
  Future<Void> pay(SqlConnection conn, TenantContext ctx, Claim c, UUID paymentId, long amountCents, String reference,
                   Instant paidAt, ClaimStatus next) {
    return conn.preparedQuery(ClaimSql.ADD_PAYMENT).execute(Tuple.from(new Object[] {ctx.tenantId().value(),
            paymentId, c.id(), c.patientId(), amountCents, reference, utc(paidAt)}))
        .compose(v -> conn.preparedQuery(ClaimSql.RECORD_PAYMENT).execute(Tuple.of(c.id(), amountCents,
            next.wire())))
        .mapEmpty();
  }

  /** Claims oldest first, after the given position. */
  Future<List<Claim>> list(SqlConnection conn, String direction, ClaimStatus status, UUID patientId,
                           Instant afterCreated, UUID afterId, int limit) {
    return ClaimSql.LIST.page(conn, Arrays.asList(direction, status == null ? null : status.wire(), patientId),
        afterCreated, afterId, limit).map(rows -> Rows.list(rows, Claim::fromRow));
  }

  /** Claims (with their payments) oldest first under a search's filters, after the given position. */
  Future<List<Claim>> search(SqlConnection conn, RecordSearch search, Instant afterCreated, UUID afterId, int limit) {
    return search.page(ClaimSql.SEARCH, ClaimSql.SEARCHED, conn, afterCreated, afterId, limit)
        .map(rows -> Rows.list(rows, Claim::fromRow));
  }

  /** How many claims match a search's filters. */
  Future<Integer> count(SqlConnection conn, RecordSearch search) {
    return search.count(ClaimSql.SEARCH, ClaimSql.SEARCHED, conn);
  }

  /** The encounter a claim would bill, locked; empty if there is none. */
  Future<Optional<Visit>> lockVisit(SqlConnection conn, UUID encounterId) {
    return conn.preparedQuery(ClaimSql.ENCOUNTER_FOR_CLAIM).execute(Tuple.of(encounterId))
        .map(rows -> Rows.optional(rows, row -> new Visit(row.getString("status"), row.getUUID("patient_id"),
            row.getOffsetDateTime("starts_at"), row.getString("given_name"), row.getString("family_name"),
            row.getString("npi"), row.getBuffer("insurance_member_id_sealed") == null ? null
                : row.getBuffer("insurance_member_id_sealed").getBytes())));
  }

  /** The encounter's diagnoses as a claim carries them (code and display), in the order they were recorded. */
  Future<JsonArray> diagnoses(SqlConnection conn, UUID encounterId) {
    return conn.preparedQuery(ClaimSql.DIAGNOSES).execute(Tuple.of(encounterId))
        .map(rows -> new JsonArray(Rows.list(rows, row -> new JsonObject().put("code", row.getString("code"))
            .put("display", row.getString("display")))));
  }

  private static Claim existing(RowSet<Row> rows) {
    return Rows.optional(rows, Claim::fromRow).orElseThrow(() -> new NotFound("no such claim"));
  }
}
