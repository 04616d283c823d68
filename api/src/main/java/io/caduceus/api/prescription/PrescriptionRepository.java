package io.caduceus.api.prescription;

import io.caduceus.api.exchange.CopyRepository;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.sql.RecordSearch;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/** Prescriptions (found as every exchanged copy is) and their fills in the tenant's regional database. */
final class PrescriptionRepository extends CopyRepository<Prescription> {

  PrescriptionRepository() {
    super(PrescriptionSql.FIND, PrescriptionSql.LOCK, PrescriptionSql.BY_COUNTERPART, Prescription::fromRow,
        "no such prescription");
  }

  /** One fill as recorded: its number, lot, quantity, who dispensed it (the pharmacist, or the exchange) and when. */
  record Fill(int number, String lot, BigDecimal quantity, UUID by, Instant at) {
  }

  /** Inserts a copy of a prescription and returns it as stored. */
  Future<Prescription> insert(SqlConnection conn, TenantContext ctx, Prescription p) {
    Medication m = p.medication();
    return conn.preparedQuery(PrescriptionSql.INSERT).execute(Tuple.from(new Object[] {ctx.tenantId().value(), p.id(),
            p.direction(), p.counterpartTenant().value(), p.counterpartId(), p.linkId(), p.patientId(),
            p.encounterId(), p.prescriberUserId(), p.prescriberName(), p.prescriberNpi(), m.rxnorm(), m.display(),
            m.ingredients().toArray(String[]::new), p.dose(), p.frequency(), p.quantity(), p.refills(),
            p.daysSupply(), p.note(), p.status().wire()}))
        .compose(v -> find(conn, p.id()));
  }

  /** Moves a prescription to {@code status}, learning the other copy's id when given. */
  Future<Void> setStatus(SqlConnection conn, UUID id, PrescriptionStatus status, UUID counterpartId) {
    return conn.preparedQuery(PrescriptionSql.SET_STATUS).execute(Tuple.of(id, status.wire(), counterpartId))
        .mapEmpty();
  }

  /** Records one fill of a prescription and the status it leaves the prescription in. */
  Future<Void> recordFill(SqlConnection conn, TenantContext ctx, Prescription p, Fill fill,
                          PrescriptionStatus status, UUID counterpartId) {
    return conn.preparedQuery(PrescriptionSql.ADD_DISPENSE).execute(Tuple.from(new Object[] {ctx.tenantId().value(),
            UuidV7.next(), p.id(), p.patientId(), fill.number(), fill.lot(), fill.quantity(), fill.by(),
            utc(fill.at())}))
        .compose(v -> conn.preparedQuery(PrescriptionSql.RECORD_FILL).execute(Tuple.of(p.id(), status.wire(),
            fill.number(), utc(fill.at()), counterpartId)))
        .mapEmpty();
  }

  /** Replaces the pharmacist's interaction review. */
  Future<Void> setReview(SqlConnection conn, UUID id, JsonObject review) {
    return conn.preparedQuery(PrescriptionSql.SET_REVIEW).execute(Tuple.of(id, review)).mapEmpty();
  }

  /** The patient's other active prescriptions at this pharmacy (see {@link PrescriptionSql#ACTIVE_OF_PATIENT}). */
  Future<List<Prescription>> activeOfPatient(SqlConnection conn, UUID patientId, UUID except) {
    return conn.preparedQuery(PrescriptionSql.ACTIVE_OF_PATIENT).execute(Tuple.of(patientId, except))
        .map(rows -> Rows.list(rows, Prescription::fromRow));
  }

  /** Prescriptions oldest first, after the given position. */
  Future<List<Prescription>> list(SqlConnection conn, String direction, PrescriptionStatus status, UUID patientId,
                                  Instant afterCreated, UUID afterId, int limit) {
    return PrescriptionSql.LIST.page(conn, Arrays.asList(direction, status == null ? null : status.wire(), patientId),
        afterCreated, afterId, limit)
        .map(rows -> Rows.list(rows, Prescription::fromRow));
  }

  /** Prescriptions oldest first under a search's filters, after the given position. */
  Future<List<Prescription>> search(SqlConnection conn, RecordSearch search, Instant afterCreated, UUID afterId,
                                    int limit) {
    return search.page(PrescriptionSql.SEARCH, PrescriptionSql.SEARCHED, conn, afterCreated, afterId, limit)
        .map(rows -> Rows.list(rows, Prescription::fromRow));
  }

  /** How many prescriptions match a search's filters. */
  Future<Integer> count(SqlConnection conn, RecordSearch search) {
    return search.count(PrescriptionSql.SEARCH, PrescriptionSql.SEARCHED, conn);
  }

  /** How many fills match a search's filters. */
  Future<Integer> countDispenses(SqlConnection conn, RecordSearch search) {
    return search.count(PrescriptionSql.DISPENSE_SEARCH, PrescriptionSql.DISPENSES_SEARCHED, conn);
  }

  /** One fill. */
  Future<Dispense> dispense(SqlConnection conn, UUID id) {
    return conn.preparedQuery(PrescriptionSql.DISPENSE_FIND).execute(Tuple.of(id))
        .map(rows -> Rows.optional(rows, Dispense::fromRow).orElseThrow(() -> new NotFound("no such dispense")));
  }

  /** Fills oldest first under a search's filters (every fill is {@code completed}), after a position. */
  Future<List<Dispense>> dispenses(SqlConnection conn, RecordSearch search, Instant afterAt, UUID afterId,
                                   int limit) {
    return search.page(PrescriptionSql.DISPENSE_SEARCH, PrescriptionSql.DISPENSES_SEARCHED, conn, afterAt, afterId,
        limit).map(rows -> Rows.list(rows, Dispense::fromRow));
  }
}
