package io.caduceus.api.encounter;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.api.paging.Position;
import io.caduceus.api.paging.VersionRange;
import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.notifications.outbox.OutboxMessage;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Documenting a visit. A physician opens the encounter of a booked appointment and records notes, vitals,
 * diagnoses (ICD-10) and procedures (CPT); a nurse records vitals only. Signing (physicians only) locks the
 * encounter: from then on only addenda are accepted. A patient sees their own encounters once signed. Each
 * operation's audit record is declared in the contract; the service names the encounter's patient.
 */
public final class EncounterService {

  private final TenantDb db;
  private final EncounterRepository encounters = new EncounterRepository();
  private final Outbox outbox;
  private final Cursors cursors;

  public EncounterService(TenantDb db, Outbox outbox, Cursors cursors) {
    this.db = db;
    this.outbox = outbox;
    this.cursors = cursors;
  }

  /** Opens the encounter of an appointment (one per appointment). */
  public Future<Encounter> open(TenantContext ctx, UUID appointmentId) {
    return Access.check(ctx, Permission.ENCOUNTER_WRITE)
        .compose(v -> db.inTenant(ctx, conn -> encounters.open(conn, ctx, appointmentId)
            .compose(id -> encounters.full(conn, id))
            .onSuccess(e -> ctx.audit().about(e.id()).patient(e.patientId()))))
        .recover(failure -> ConstraintViolation.of(failure, "encounter_one_per_appointment")
            ? Future.failedFuture(new Conflict("this appointment already has an encounter"))
            : Future.failedFuture(failure));
  }

  /** One encounter with its entries, projected for the caller's role. */
  public Future<Encounter> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.ENCOUNTER_READ)
        .compose(v -> db.once(ctx, conn -> encounters.full(conn, id)))
        .map(e -> {
          if (ctx.actsAsPatient() && !e.signed()) {
            throw new NotFound("no such encounter");
          }
          return e;
        })
        .onSuccess(e -> ctx.audit().patient(e.patientId()));
  }

  /**
   * The encounter's versions (headers) in the range, newest first, to whoever may {@link #get} it, and audited as its
   * read; a patient sees the signed versions only, as they see the current one once signed.
   */
  public Future<List<Encounter>> versions(TenantContext ctx, UUID id, VersionRange range) {
    return get(ctx, id).compose(current -> db.once(ctx, conn -> encounters.versions(conn, id, range,
        ctx.actsAsPatient() ? EncounterStatus.SIGNED : null)));
  }

  /** One page of encounter headers, newest first; a patient sees only their own signed ones. */
  public Future<Page<Encounter>> list(TenantContext ctx, UUID patientId, EncounterStatus status, int limit,
                                     String cursor) {
    EncounterStatus visible = ctx.actsAsPatient() ? EncounterStatus.SIGNED : status;
    String filters = patientId + "|" + visible;
    return Access.check(ctx, Permission.ENCOUNTER_READ)
        .compose(v -> {
          Position after = cursors.after(ctx, "encounters", filters, cursor);
          return db.once(ctx, conn -> encounters.list(conn, patientId, visible, after.at(), after.id(),
              limit + 1));
        })
        .map(found -> Page.of(found, limit, last -> cursors.seal(ctx, "encounters", filters,
            last.openedAt(), last.id())))
        .onSuccess(page -> ctx.audit().patients(page.items().stream().map(Encounter::patientId).toList()));
  }

  /**
   * Up to {@code limit} encounter headers matching the filter, newest first, after the position (FHIR search); a
   * patient sees only their own signed ones. The caller records the patients of the page it returns.
   */
  public Future<List<Encounter>> search(TenantContext ctx, EncounterFilter filter, Position after, int limit) {
    if (ctx.actsAsPatient() && filter.status() == EncounterStatus.OPEN) {
      return Access.check(ctx, Permission.ENCOUNTER_READ).map(v -> List.of());
    }
    EncounterFilter visible = visible(ctx, filter);
    return Access.check(ctx, Permission.ENCOUNTER_READ)
        .compose(v -> db.once(ctx, conn -> encounters.search(conn, visible, after, limit)));
  }

  /** How many encounters {@link #search} would list under the filter. */
  public Future<Integer> count(TenantContext ctx, EncounterFilter filter) {
    if (ctx.actsAsPatient() && filter.status() == EncounterStatus.OPEN) {
      return Access.check(ctx, Permission.ENCOUNTER_READ).map(v -> 0);
    }
    EncounterFilter visible = visible(ctx, filter);
    return Access.check(ctx, Permission.ENCOUNTER_READ)
        .compose(v -> db.once(ctx, conn -> encounters.count(conn, visible)));
  }

  /** A patient sees only signed encounters. */
  private static EncounterFilter visible(TenantContext ctx, EncounterFilter filter) {
    return ctx.actsAsPatient() ? new EncounterFilter(filter.patients(), EncounterStatus.SIGNED,
        filter.practitioner(), filter.openedFrom(), filter.openedTo(), filter.updatedFrom(), filter.updatedTo())
        : filter;
  }

  /** Replaces the notes of an open encounter at {@code version}. */
  public Future<Encounter> updateNotes(TenantContext ctx, UUID id, int version, String notes) {
    return change(ctx, id, version, Permission.ENCOUNTER_WRITE, EncounterStatus.OPEN,
        (conn, e) -> encounters.setNotes(conn, id, notes));
  }

  /** Records vital signs (physicians and nurses). */
  public Future<Encounter> recordVitals(TenantContext ctx, UUID id, List<JsonObject> vitals) {
    for (int i = 0; i < vitals.size(); i++) {
      JsonObject v = vitals.get(i);
      VitalSign.of(v.getString("code"), "/vitals/" + i + "/code")
          .check(v.getNumber("value").doubleValue(), v.getString("unit"), "/vitals/" + i);
    }
    return change(ctx, id, null, Permission.VITALS_WRITE, EncounterStatus.OPEN,
        (conn, e) -> encounters.addVitals(conn, ctx, e, vitals));
  }

  /**
   * Corrects recorded vital signs (each {@code id}, {@code code}, {@code value}, {@code unit}) of an open encounter at
   * {@code version}, under the rules of recording them (FHIR's Observation update).
   */
  public Future<Encounter> correctVitals(TenantContext ctx, UUID id, int version, List<JsonObject> corrections) {
    for (int i = 0; i < corrections.size(); i++) {
      JsonObject v = corrections.get(i);
      VitalSign.of(v.getString("code"), "/vitals/" + i + "/code")
          .check(v.getNumber("value").doubleValue(), v.getString("unit"), "/vitals/" + i);
    }
    return change(ctx, id, version, Permission.VITALS_WRITE, EncounterStatus.OPEN,
        (conn, e) -> encounters.correctVitals(conn, e, corrections));
  }

  /** Adds an ICD-10 diagnosis. */
  public Future<Encounter> addDiagnosis(TenantContext ctx, UUID id, String code, String display) {
    return change(ctx, id, null, Permission.ENCOUNTER_WRITE, EncounterStatus.OPEN,
        (conn, e) -> encounters.addDiagnosis(conn, ctx, e, code, display));
  }

  /** Adds a CPT procedure. */
  public Future<Encounter> addProcedure(TenantContext ctx, UUID id, String code, String display, int quantity) {
    return change(ctx, id, null, Permission.ENCOUNTER_WRITE, EncounterStatus.OPEN,
        (conn, e) -> encounters.addProcedure(conn, ctx, e, code, display, quantity));
  }

  /** Removes an entry recorded in error, while the encounter is open. */
  public Future<Encounter> removeEntry(TenantContext ctx, UUID id, String section, UUID entryId) {
    EncounterSection which = EncounterSection.fromWire(section);
    Permission needed = which == EncounterSection.VITALS ? Permission.VITALS_WRITE : Permission.ENCOUNTER_WRITE;
    ctx.audit().action("encounter.remove_" + which.wire());
    return change(ctx, id, null, needed, EncounterStatus.OPEN,
        (conn, e) -> encounters.remove(conn, e, which, entryId));
  }

  /** Signs the encounter (at {@code version}, when given), locking it. */
  public Future<Encounter> sign(TenantContext ctx, UUID id, Integer version) {
    return change(ctx, id, version, Permission.ENCOUNTER_SIGN, EncounterStatus.OPEN,
        (conn, e) -> encounters.sign(conn, id, ctx.userId()).compose(v -> outbox.append(conn, ctx.tenantId(),
            new OutboxMessage("encounter.signed", id.toString(), new JsonObject().put("encounterId", id.toString())
                .put("patientId", e.patientId().toString()).put("signedBy", ctx.userId().toString())))).mapEmpty());
  }

  /** Adds an addendum to a signed encounter. */
  public Future<Encounter> addAddendum(TenantContext ctx, UUID id, String text) {
    return change(ctx, id, null, Permission.ENCOUNTER_WRITE, EncounterStatus.SIGNED,
        (conn, e) -> encounters.addAddendum(conn, ctx, e, text));
  }

  /**
   * The shape of every change: check the permission, lock the encounter, check its version and state, apply
   * the work and move the version on, all in one transaction (which carries the request's audit record, naming the
   * encounter's patient).
   */
  private Future<Encounter> change(TenantContext ctx, UUID id, Integer version, Permission permission,
                                   EncounterStatus required,
                                   BiFunction<SqlConnection, EncounterRepository.Head, Future<Void>> work) {
    return Access.check(ctx, permission)
        .compose(v -> db.inTenant(ctx, conn -> encounters.lock(conn, id).compose(e -> {
          if (version != null && e.version() != version) {
            return Future.failedFuture(new PreconditionFailed("the encounter has changed since you read it"));
          }
          if (e.status() != required) {
            return Future.failedFuture(new Conflict(required == EncounterStatus.OPEN
                ? "the encounter is signed; only addenda may be added" : "addenda are added to a signed encounter"));
          }
          return work.apply(conn, e)
              .compose(x -> encounters.touch(conn, id))
              .onSuccess(x -> ctx.audit().patient(e.patientId()))
              .compose(x -> encounters.full(conn, id));
        })));
  }
}
