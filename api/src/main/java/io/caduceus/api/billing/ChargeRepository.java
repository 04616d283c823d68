package io.caduceus.api.billing;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/** The clinic's charges and what they are priced from; it runs on the connection {@code TenantDb} opened. */
final class ChargeRepository {

  /** An encounter's status, patient, modality and place of service, locked for the rest of the transaction. */
  record LockedEncounter(String status, UUID patientId, String modality, String placeOfService) {
  }

  /** A procedure of an encounter with the fee it is priced at (no amount if the schedule has none for it). */
  record PricedProcedure(UUID id, String code, String display, int quantity, String feeDisplay, Long amountCents,
                         String currency, boolean charged) {
  }

  /** The encounter, locked; empty if there is none. */
  Future<Optional<LockedEncounter>> lockEncounter(SqlConnection conn, UUID encounterId) {
    return conn.preparedQuery(BillingSql.ENCOUNTER_LOCK).execute(Tuple.of(encounterId))
        .map(rows -> Rows.optional(rows, row -> new LockedEncounter(row.getString("status"),
            row.getUUID("patient_id"), row.getString("modality"), row.getString("place_of_service"))));
  }

  /** The encounter's procedures in the order they were recorded, each with its fee and whether it is charged. */
  Future<List<PricedProcedure>> pricedProcedures(SqlConnection conn, UUID encounterId) {
    return conn.preparedQuery(BillingSql.PRICED_PROCEDURES).execute(Tuple.of(encounterId))
        .map(rows -> Rows.list(rows, row -> new PricedProcedure(row.getUUID("id"), row.getString("code"),
            row.getString("display"), row.getInteger("quantity"), row.getString("fee_display"),
            row.getLong("amount_cents"), row.getString("currency"), row.getBoolean("charged"))));
  }

  /** Inserts new charges; a procedure charged already keeps its charge. */
  Future<Void> insert(SqlConnection conn, TenantContext ctx, List<Charge> charges) {
    if (charges.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = charges.stream().map(c -> Tuple.from(new Object[] {ctx.tenantId().value(), c.id(),
        c.encounterId(), c.patientId(), c.procedureId(), c.cptCode(), c.display(), c.quantity(), c.unitCents(),
        c.amountCents(), c.currency(), c.placeOfService(), c.modifiers().toArray(String[]::new)})).toList();
    return conn.preparedQuery(BillingSql.CHARGE_INSERT).executeBatch(batch).mapEmpty();
  }

  /** The encounter's charges, in the order they were made. */
  Future<List<Charge>> ofEncounter(SqlConnection conn, UUID encounterId) {
    return conn.preparedQuery(BillingSql.CHARGES_OF_ENCOUNTER).execute(Tuple.of(encounterId))
        .map(rows -> Rows.list(rows, Charge::fromRow));
  }

  /** The encounter's charges on no claim yet, in the order they were made, locked. */
  Future<List<Charge>> lockUnbilled(SqlConnection conn, UUID encounterId) {
    return conn.preparedQuery(BillingSql.CHARGES_UNBILLED).execute(Tuple.of(encounterId))
        .map(rows -> Rows.list(rows, Charge::fromRow));
  }

  /** Puts the encounter's unbilled charges on a claim. */
  Future<Void> bill(SqlConnection conn, UUID encounterId, UUID claimId) {
    return conn.preparedQuery(BillingSql.CHARGES_BILL).execute(Tuple.of(encounterId, claimId)).mapEmpty();
  }

  /** Charges oldest first, after the given position, by encounter, patient or whether they are on a claim. */
  Future<List<Charge>> list(SqlConnection conn, UUID encounterId, UUID patientId, Boolean billed,
                            Instant afterCreated, UUID afterId, int limit) {
    return conn.preparedQuery(BillingSql.CHARGE_LIST)
        .execute(Tuple.of(encounterId, patientId, billed, utc(afterCreated), afterId, limit))
        .map(rows -> Rows.list(rows, Charge::fromRow));
  }
}
