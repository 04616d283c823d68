package io.caduceus.api.billing;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/**
 * Charges: each procedure of a signed encounter becomes one charge, priced by the fee schedule at the time it is
 * generated. Generating again adds charges only for procedures not yet charged, so it is safe to repeat; a code
 * with no fee stops the whole generation and names what to add to the schedule.
 */
public final class ChargeService {

  private final TenantDb db;
  private final Cursors cursors;

  /** An encounter's charges and their total. */
  public record EncounterCharges(UUID encounterId, UUID patientId, List<Charge> charges) {

    /** The contract's {@code EncounterCharges}. */
    public JsonObject toJson() {
      JsonArray items = new JsonArray();
      charges.forEach(c -> items.add(c.toJson()));
      return new JsonObject().put("encounterId", encounterId.toString()).put("items", items)
          .put("currency", charges.isEmpty() ? null : charges.get(0).currency())
          .put("totalCents", charges.stream().mapToLong(Charge::amountCents).sum());
    }
  }

  public ChargeService(TenantDb db, Cursors cursors) {
    this.db = db;
    this.cursors = cursors;
  }

  /** Generates the charges of a signed encounter's procedures that have none yet. */
  public Future<EncounterCharges> generate(TenantContext ctx, UUID encounterId) {
    return Access.check(ctx, Permission.BILLING)
        .compose(v -> db.inTenant(ctx, conn -> conn.preparedQuery(BillingSql.ENCOUNTER_LOCK)
            .execute(Tuple.of(encounterId)).compose(rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(new NotFound("no such encounter"));
              }
              Row encounter = rows.iterator().next();
              if (!"signed".equals(encounter.getString("status"))) {
                return Future.failedFuture(new Conflict("charges come from a signed encounter; this one is "
                    + encounter.getString("status")));
              }
              UUID patientId = encounter.getUUID("patient_id");
              ctx.audit().patient(patientId);
              return conn.preparedQuery(BillingSql.PRICED_PROCEDURES).execute(Tuple.of(encounterId))
                  .compose(procedures -> insert(conn, ctx, encounterId, patientId, procedures))
                  .compose(v2 -> charges(conn, encounterId, patientId));
            })));
  }

  /** One page of charges, oldest first, by encounter, patient or whether they are on a claim yet. */
  public Future<Page<Charge>> list(TenantContext ctx, UUID encounterId, UUID patientId, Boolean billed, int limit,
                                   String cursor) {
    String filters = encounterId + "|" + patientId + "|" + billed;
    return Access.check(ctx, Permission.BILLING)
        .compose(v -> {
          JsonObject after = cursor == null ? null : cursors.open(ctx, "charges", filters, cursor);
          return db.once(ctx, conn -> conn.preparedQuery(BillingSql.CHARGE_LIST).execute(Tuple.of(encounterId,
              patientId, billed, after == null ? null : utc(Instant.parse(after.getString("at"))),
              after == null ? null : UUID.fromString(after.getString("id")), limit + 1)));
        })
        .map(rows -> {
          List<Charge> found = new ArrayList<>();
          rows.forEach(row -> found.add(Charge.fromRow(row)));
          return Page.of(found, limit, last -> cursors.seal(ctx, "charges", filters, new JsonObject()
              .put("at", last.createdAt().toString()).put("id", last.id().toString())));
        })
        .onSuccess(page -> ctx.audit().patients(page.items().stream().map(Charge::patientId).distinct().toList()))
        .onFailure(failure -> ctx.audit().patient(patientId));
  }

  /** The encounter's charges, in the order they were made. */
  static Future<EncounterCharges> charges(SqlConnection conn, UUID encounterId, UUID patientId) {
    return conn.preparedQuery(BillingSql.CHARGES_OF_ENCOUNTER).execute(Tuple.of(encounterId)).map(rows -> {
      List<Charge> charges = new ArrayList<>();
      rows.forEach(row -> charges.add(Charge.fromRow(row)));
      return new EncounterCharges(encounterId, patientId, charges);
    });
  }

  private static Future<Void> insert(SqlConnection conn, TenantContext ctx, UUID encounterId, UUID patientId,
                                     Iterable<Row> procedures) {
    Set<String> unpriced = new TreeSet<>();
    Set<String> currencies = new TreeSet<>();
    List<Tuple> batch = new ArrayList<>();
    boolean any = false;
    for (Row p : procedures) {
      any = true;
      if (p.getBoolean("charged")) {
        continue;
      }
      Long unit = p.getLong("amount_cents");
      if (unit == null) {
        unpriced.add(p.getString("code"));
        continue;
      }
      currencies.add(p.getString("currency"));
      int quantity = p.getInteger("quantity");
      String display = p.getString("display") != null ? p.getString("display") : p.getString("fee_display");
      batch.add(Tuple.from(new Object[] {ctx.tenantId().value(), UuidV7.next(), encounterId, patientId,
          p.getUUID("id"), p.getString("code"), display, quantity, unit, unit * quantity, p.getString("currency")}));
    }
    if (!any) {
      return Future.failedFuture(new Conflict("the encounter records no procedures to charge"));
    }
    if (!unpriced.isEmpty()) {
      return Future.failedFuture(new Conflict("the fee schedule has no fee for " + String.join(", ", unpriced)
          + "; set one with PUT /v1/fees/{cptCode}"));
    }
    if (currencies.size() > 1) {
      return Future.failedFuture(new Conflict("the encounter's fees are in several currencies ("
          + String.join(", ", currencies) + "); one claim bills one currency"));
    }
    return batch.isEmpty() ? Future.succeededFuture()
        : conn.preparedQuery(BillingSql.CHARGE_INSERT).executeBatch(batch).mapEmpty();
  }
}
