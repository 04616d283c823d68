package io.caduceus.api.billing;

import io.caduceus.api.error.NotFound;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/** Claims and their payments in the tenant's regional database; it runs on the connection it is given. */
final class ClaimRepository {

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
    return conn.preparedQuery(ClaimSql.FIND).execute(Tuple.of(id)).map(ClaimRepository::first);
  }

  /** One claim, locked for the rest of the transaction. */
  Future<Claim> lock(SqlConnection conn, UUID id) {
    return conn.preparedQuery(ClaimSql.LOCK).execute(Tuple.of(id)).map(ClaimRepository::first);
  }

  /** This tenant's copy of the other tenant's claim, locked; empty if there is none. */
  Future<Optional<Claim>> byCounterpart(SqlConnection conn, UUID counterpartTenant, UUID counterpartClaim) {
    return conn.preparedQuery(ClaimSql.BY_COUNTERPART).execute(Tuple.of(counterpartTenant, counterpartClaim))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Claim.fromRow(rows.iterator().next())));
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
    return conn.preparedQuery(ClaimSql.LIST).execute(Tuple.of(direction, status == null ? null : status.wire(),
        patientId, utc(afterCreated), afterId, limit)).map(rows -> {
          List<Claim> found = new ArrayList<>();
          rows.forEach(row -> found.add(Claim.fromRow(row)));
          return found;
        });
  }

  private static Claim first(RowSet<Row> rows) {
    if (rows.size() == 0) {
      throw new NotFound("no such claim");
    }
    return Claim.fromRow(rows.iterator().next());
  }
}
