package io.caduceus.api.prescription;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.encounter.OrderingClinician;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.exchange.Exchange;
import io.caduceus.api.exchange.ExchangedPatients;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.api.paging.Position;
import io.caduceus.api.partner.PartnerLink;
import io.caduceus.api.partner.PartnerScope;
import io.caduceus.api.sql.RecordSearch;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * E-prescriptions as the prescribing clinic works with them: a physician prescribes an RxNorm-coded medication to a
 * linked pharmacy (the prescription, its audit record naming the pharmacy, and its exchange message commit together),
 * reads it with its fills, and can cancel it until it is completed. Reads serve both sides: a pharmacy lists its
 * queue here.
 */
public final class PrescriptionService {

  static final String PLACED = "prescription.placed";
  static final String CANCELLED = "prescription.cancelled";

  private final TenantDb db;
  private final PrescriptionRepository prescriptions = new PrescriptionRepository();
  private final Exchange exchange;
  private final Cursors cursors;
  private final InteractionKnowledgeBase kb;

  public PrescriptionService(TenantDb db, Exchange exchange, Cursors cursors, InteractionKnowledgeBase kb) {
    this.db = db;
    this.exchange = exchange;
    this.cursors = cursors;
    this.kb = kb;
  }

  /** Prescribes a medication for a patient to a linked pharmacy. */
  public Future<Prescription> place(TenantContext ctx, JsonObject body) {
    TenantId pharmacy = TenantId.parse(body.getString("pharmacyTenantId"));
    ctx.audit().patient(UUID.fromString(body.getString("patientId"))).partner(pharmacy.value());
    return Access.check(ctx, Permission.PRESCRIBE)
        .map(v -> Medication.from(body.getJsonObject("medication"), kb))
        .compose(medication -> exchange.link(ctx.tenantId(), pharmacy, PartnerScope.PRESCRIPTIONS)
            .compose(link -> db.inTenant(ctx, conn -> write(conn, ctx, link, medication, body))));
  }

  private Future<Prescription> write(SqlConnection conn, TenantContext ctx, PartnerLink link, Medication medication,
                                     JsonObject body) {
    UUID patientId = UUID.fromString(body.getString("patientId"));
    UUID encounterId = body.getString("encounterId") == null ? null : UUID.fromString(body.getString("encounterId"));
    return ExchangedPatients.document(conn, patientId, true)
        .compose(patient -> OrderingClinician.checkEncounter(conn, encounterId, patientId)
            .compose(v -> OrderingClinician.of(conn, ctx.userId(), "a prescription"))
            .compose(prescriber -> prescriptions.insert(conn, ctx, new Prescription(UuidV7.next(), "outgoing",
                link.partner(), null, link.id(), patientId, encounterId, ctx.userId(), prescriber.getString("name"),
                prescriber.getString("npi"), medication, body.getString("dose"), body.getString("frequency"),
                new BigDecimal(body.getNumber("quantity").toString()), body.getInteger("refills"),
                body.getInteger("daysSupply"), body.getString("note"), PrescriptionStatus.SENT, 0, null, null, null,
                null, 1, null)))
            .compose(p -> exchange.send(conn, ctx, link, PLACED, p.id(), patientId, p.order(patient)).map(p)));
  }

  /** Cancels a prescription that is not completed; the pharmacy's copy is cancelled too (no further fills). */
  public Future<Prescription> cancel(TenantContext ctx, UUID id, String reason) {
    return Access.check(ctx, Permission.PRESCRIBE)
        .compose(v -> db.inTenant(ctx, conn -> prescriptions.lock(conn, id).compose(p -> {
          if (!p.outgoing()) {
            return Future.failedFuture(new Forbidden("the prescribing clinic cancels a prescription"));
          }
          if (p.status().closed()) {
            return Future.failedFuture(new Conflict("the prescription is already " + p.status().wire()));
          }
          return exchange.link(p.linkId(), ctx.tenantId())
              .compose(link -> prescriptions.setStatus(conn, id, PrescriptionStatus.CANCELLED, null)
                  .compose(x -> exchange.send(conn, ctx, link, CANCELLED, id, p.patientId(), new JsonObject()
                      .put("prescriptionId", id.toString()).put("reason", reason))))
              .compose(x -> prescriptions.find(conn, id));
        })));
  }

  /** One prescription with its fills; a patient sees only their own. */
  public Future<Prescription> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.PRESCRIPTION_READ)
        .compose(v -> db.once(ctx, conn -> prescriptions.find(conn, id)))
        .onSuccess(p -> ctx.audit().patient(p.patientId()));
  }

  /** One page of prescriptions, oldest first: a clinic's outgoing ones, or a pharmacy's queue. */
  public Future<Page<Prescription>> list(TenantContext ctx, String direction, PrescriptionStatus status,
                                         UUID patientId, int limit, String cursor) {
    String filters = direction + "|" + status + "|" + patientId;
    return Access.check(ctx, Permission.PRESCRIPTION_READ)
        .compose(v -> {
          Position after = cursors.after(ctx, "prescriptions", filters, cursor);
          return db.once(ctx, conn -> prescriptions.list(conn, direction, status, patientId, after.at(), after.id(),
              limit + 1));
        })
        .map(found -> Page.of(found, limit, last -> cursors.seal(ctx, "prescriptions", filters,
            last.createdAt(), last.id())))
        .onSuccess(page -> ctx.audit().patients(page.items().stream().map(Prescription::patientId).distinct()
            .toList()));
  }

  /** One page of prescriptions under a search's filters, oldest first; a patient finds only their own. */
  public Future<Page<Prescription>> search(TenantContext ctx, RecordSearch search, int limit, String cursor) {
    return Access.check(ctx, Permission.PRESCRIPTION_READ)
        .compose(v -> {
          Position after = cursors.after(ctx, "prescription-search", search.fingerprint(), cursor);
          return db.once(ctx, conn -> prescriptions.search(conn, search, after.at(), after.id(), limit + 1));
        })
        .map(found -> Page.of(found, limit, last -> cursors.seal(ctx, "prescription-search", search.fingerprint(),
            last.createdAt(), last.id())))
        .onSuccess(page -> ctx.audit().patients(page.items().stream().map(Prescription::patientId).distinct()
            .toList()));
  }

  /**
   * Up to {@code limit} prescriptions under a search's filters after a position, oldest first (by creation, then
   * id), for a listing that pages them with other records (the FHIR facade's MedicationRequest with imported ones);
   * the caller seals its own cursor and records the patients of the page it returns.
   */
  public Future<List<Prescription>> searchAfter(TenantContext ctx, RecordSearch search, Position after, int limit) {
    return Access.check(ctx, Permission.PRESCRIPTION_READ)
        .compose(v -> db.once(ctx, conn -> prescriptions.search(conn, search, after.at(), after.id(), limit)));
  }

  /** How many prescriptions match a search's filters (as {@link #search} would list them). */
  public Future<Integer> count(TenantContext ctx, RecordSearch search) {
    return Access.check(ctx, Permission.PRESCRIPTION_READ)
        .compose(v -> db.once(ctx, conn -> prescriptions.count(conn, search)));
  }

  /** One fill of a prescription; read as the prescription is. */
  public Future<Dispense> dispense(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.PRESCRIPTION_READ)
        .compose(v -> db.once(ctx, conn -> prescriptions.dispense(conn, id)))
        .onSuccess(d -> ctx.audit().patient(d.patientId()));
  }

  /** One page of fills under a search's filters, oldest first; a patient finds only their own. */
  public Future<Page<Dispense>> dispenses(TenantContext ctx, RecordSearch search, int limit, String cursor) {
    return Access.check(ctx, Permission.PRESCRIPTION_READ)
        .compose(v -> {
          Position after = cursors.after(ctx, "dispense-search", search.fingerprint(), cursor);
          return db.once(ctx, conn -> prescriptions.dispenses(conn, search, after.at(), after.id(), limit + 1));
        })
        .map(found -> Page.of(found, limit, last -> cursors.seal(ctx, "dispense-search", search.fingerprint(),
            last.dispensedAt(), last.id())))
        .onSuccess(page -> ctx.audit().patients(page.items().stream().map(Dispense::patientId).distinct().toList()));
  }

  /** How many fills match a search's filters (as {@link #dispenses} would list them). */
  public Future<Integer> countDispenses(TenantContext ctx, RecordSearch search) {
    return Access.check(ctx, Permission.PRESCRIPTION_READ)
        .compose(v -> db.once(ctx, conn -> prescriptions.countDispenses(conn, search)));
  }
}
