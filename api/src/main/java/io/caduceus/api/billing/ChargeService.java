package io.caduceus.api.billing;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.api.paging.Position;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Charges: each procedure of a signed encounter becomes one charge, priced by the fee schedule at the time it is
 * generated. Generating again adds charges only for procedures not yet charged, so it is safe to repeat; a code
 * with no fee stops the whole generation and names what to add to the schedule. A charge carries the visit's place
 * of service and, for a telehealth encounter, modifier 95, so the claim says it was virtual.
 */
public final class ChargeService {

  /** The CPT modifier of a synchronous telehealth service. */
  static final List<String> TELEHEALTH_MODIFIERS = List.of("95");

  private final TenantDb db;
  private final Cursors cursors;
  private final ChargeRepository charges = new ChargeRepository();

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
        .compose(v -> db.inTenant(ctx, conn -> charges.lockEncounter(conn, encounterId).compose(found -> {
          ChargeRepository.LockedEncounter encounter = found.orElseThrow(() -> new NotFound("no such encounter"));
          if (!"signed".equals(encounter.status())) {
            return Future.failedFuture(new Conflict("charges come from a signed encounter; this one is "
                + encounter.status()));
          }
          UUID patientId = encounter.patientId();
          ctx.audit().patient(patientId);
          return charges.pricedProcedures(conn, encounterId)
              .compose(procedures -> charges.insert(conn, ctx, newCharges(encounter, encounterId, procedures)))
              .compose(v2 -> charges.ofEncounter(conn, encounterId))
              .map(made -> new EncounterCharges(encounterId, patientId, made));
        })));
  }

  /** One page of charges, oldest first, by encounter, patient or whether they are on a claim yet. */
  public Future<Page<Charge>> list(TenantContext ctx, UUID encounterId, UUID patientId, Boolean billed, int limit,
                                   String cursor) {
    String filters = encounterId + "|" + patientId + "|" + billed;
    return Access.check(ctx, Permission.BILLING)
        .compose(v -> {
          Position after = cursors.after(ctx, "charges", filters, cursor);
          return db.once(ctx, conn -> charges.list(conn, encounterId, patientId, billed, after.at(), after.id(),
              limit + 1));
        })
        .map(found -> Page.of(found, limit,
            last -> cursors.seal(ctx, "charges", filters, last.createdAt(), last.id())))
        .onSuccess(page -> ctx.audit().patients(page.items().stream().map(Charge::patientId).distinct().toList()))
        .onFailure(failure -> ctx.audit().patient(patientId));
  }

  /**
   * The charges of the procedures not charged yet, priced by the schedule; refused if there is nothing to charge,
   * a code has no fee or the fees are in several currencies.
   */
  private static List<Charge> newCharges(ChargeRepository.LockedEncounter encounter, UUID encounterId,
                                         List<ChargeRepository.PricedProcedure> procedures) {
    UUID patientId = encounter.patientId();
    List<String> modifiers = "virtual".equals(encounter.modality()) ? TELEHEALTH_MODIFIERS : List.of();
    if (procedures.isEmpty()) {
      throw new Conflict("the encounter records no procedures to charge");
    }
    Set<String> unpriced = new TreeSet<>();
    Set<String> currencies = new TreeSet<>();
    List<Charge> made = new ArrayList<>();
    for (ChargeRepository.PricedProcedure p : procedures) {
      if (p.charged()) {
        continue;
      }
      Long unit = p.amountCents();
      if (unit == null) {
        unpriced.add(p.code());
        continue;
      }
      currencies.add(p.currency());
      String display = p.display() != null ? p.display() : p.feeDisplay();
      made.add(new Charge(UuidV7.next(), encounterId, patientId, p.id(), p.code(), display, p.quantity(), unit,
          unit * p.quantity(), p.currency(), null, null, encounter.placeOfService(), modifiers));
    }
    if (!unpriced.isEmpty()) {
      throw new Conflict("the fee schedule has no fee for " + String.join(", ", unpriced)
          + "; set one with PUT /v1/fees/{cptCode}");
    }
    if (currencies.size() > 1) {
      throw new Conflict("the encounter's fees are in several currencies ("
          + String.join(", ", currencies) + "); one claim bills one currency");
    }
    return made;
  }
}
