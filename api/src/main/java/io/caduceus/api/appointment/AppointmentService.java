package io.caduceus.api.appointment;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.config.EffectiveConfig;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.api.paging.Position;
import io.caduceus.api.paging.VersionRange;
import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.notifications.outbox.OutboxMessage;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Booking and the appointment state machine. A practitioner, and a room, can never hold two overlapping visits that
 * are booked, checked in or fulfilled (the database's exclusion constraints decide, so concurrent bookings cannot both
 * win); a cancelled or no-show visit frees its slot. A visit at a facility must be with a practitioner who serves it.
 * Every change writes its outbox message in its own transaction, which carries the request's audit record (declared
 * in the contract); the service names the appointment and its patient.
 */
public final class AppointmentService {

  private final TenantDb db;
  private final Outbox outbox;
  private final Cursors cursors;
  private final TenantCatalog catalog;
  private final Clock clock;
  private final VisitSessions sessions;
  private final EffectiveConfig config;
  private final AppointmentRepository repository = new AppointmentRepository();

  public AppointmentService(TenantDb db, Outbox outbox, Cursors cursors, TenantCatalog catalog, Clock clock,
                            VisitSessions sessions, EffectiveConfig config) {
    this.sessions = sessions;
    this.config = config;
    this.db = db;
    this.outbox = outbox;
    this.cursors = cursors;
    this.catalog = catalog;
    this.clock = clock;
  }

  /**
   * Books a slot for a live patient with an active practitioner of the tenant; a virtual visit gets its telehealth
   * session in the same transaction.
   */
  public Future<Appointment> book(TenantContext ctx, JsonObject body) {
    UUID id = UuidV7.next();
    ctx.audit().about(id);
    return Access.check(ctx, Permission.APPOINTMENT_BOOK)
        .map(v -> Slot.booking(ctx, body))
        .compose(named -> zone(ctx).compose(tenantZone -> db.inTenant(ctx, conn -> admitted(conn, named, true)
            .compose(placed -> ruled(conn, ctx, placed, true, tenantZone))
            .compose(ruled -> repository.book(conn, ctx, id, ruled.slot(), ruled.rules())
            .compose(booked -> booked.isPresent() ? withSession(conn, ctx, booked.get())
                .compose(a -> recorded(conn, ctx, a, "appointment.booked"))
                : missingParty(conn, ruled.slot()))))))
        .recover(AppointmentService::slotTaken);
  }

  /** One appointment. */
  public Future<Appointment> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.APPOINTMENT_READ)
        .compose(v -> db.once(ctx, conn -> repository.find(conn, id)))
        .map(AppointmentService::found)
        .onSuccess(a -> ctx.audit().patient(a.patientId()));
  }

  /** Versions of a live appointment, newest first; NotFound (and audited) as {@link #get}. */
  public Future<List<Appointment>> versions(TenantContext ctx, UUID id, VersionRange range) {
    return get(ctx, id).compose(current -> db.once(ctx, conn -> repository.versions(conn, id, range)));
  }

  /**
   * Moves a booked appointment to another time, practitioner, facility or room, if {@code version} is current; a
   * new place is checked as a booking's is.
   */
  public Future<Appointment> reschedule(TenantContext ctx, UUID id, int version, JsonObject body) {
    return Access.check(ctx, Permission.APPOINTMENT_RESCHEDULE)
        .compose(v -> zone(ctx))
        .compose(tenantZone -> db.inTenant(ctx, conn -> current(conn, id, version).compose(a -> {
          if (a.status() != AppointmentStatus.BOOKED) {
            return Future.failedFuture(new Conflict("only a booked appointment can be rescheduled"));
          }
          Slot before = Slot.of(a);
          Slot moved = before.movedBy(body);
          boolean facilityDropped = body.containsKey("facilityId") && moved.facilityId() == null;
          Future<Slot> admitted = moved.movesPlace(before) ? admitted(conn, moved, facilityDropped)
              : Future.succeededFuture(moved);
          return admitted.compose(slot -> ruled(conn, ctx, slot, !slot.start().equals(before.start()), tenantZone))
              .compose(ruled -> repository.reschedule(conn, ctx, id, version, ruled.slot(), ruled.rules()))
              .compose(changed -> changed.isPresent() ? followed(conn, ctx, changed.get(), false)
                  .compose(followed -> recorded(conn, ctx, followed, "appointment.changed"))
                  : Future.failedFuture(new NotFound("no such active practitioner")));
        })))
        .recover(AppointmentService::slotTaken);
  }

  /**
   * Moves the appointment to its next state, when the state machine and the clock allow it ({@link Attendance});
   * {@code version} is checked when given.
   */
  public Future<Appointment> changeStatus(TenantContext ctx, UUID id, Integer version, String status, String reason) {
    AppointmentStatus next = AppointmentStatus.fromWire(status);
    ctx.audit().action("appointment." + next.wire());
    return Access.check(ctx, next.permissionToEnter())
        .compose(v -> zone(ctx))
        .compose(tenantZone -> db.inTenant(ctx, conn -> current(conn, id, version)
            .compose(a -> zone(conn, a, tenantZone).compose(zone -> moved(conn, ctx, a, next, reason, zone)))));
  }

  /** Moves {@code a} to {@code next}, its day beginning in {@code zone} (the visit's facility's, or the tenant's). */
  private Future<Appointment> moved(SqlConnection conn, TenantContext ctx, Appointment a, AppointmentStatus next,
                                    String reason, ZoneId zone) {
    if (!a.status().canMoveTo(next)) {
      return Future.failedFuture(new Conflict("an appointment cannot move from " + a.status().wire() + " to "
          + next.wire()));
    }
    if (ctx.actsAsPatient() && a.status() != AppointmentStatus.BOOKED) {
      return Future.failedFuture(new Conflict("once you have checked in, the clinic changes the appointment"));
    }
    Attendance.require(a, next, clock.instant(), zone);
    return repository.setStatus(conn, ctx, a.id(), a.version(), next, reason)
        .compose(changed -> followed(conn, ctx, changed.orElseThrow(), false))
        .compose(changed -> recorded(conn, ctx, changed,
            next == AppointmentStatus.CANCELLED ? "appointment.cancelled" : "appointment.changed"));
  }

  /** Removes an appointment entered in error, freeing its slot. */
  public Future<Void> delete(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.APPOINTMENT_DELETE)
        .compose(v -> db.inTenant(ctx, conn -> repository.delete(conn, ctx, id)
            .compose(deleted -> followed(conn, ctx, found(deleted), true))
            .compose(deleted -> recorded(conn, ctx, deleted, "appointment.cancelled"))))
        .mapEmpty();
  }

  /** One page of appointments by start time. */
  public Future<Page<Appointment>> list(TenantContext ctx, AppointmentQuery q, String cursor) {
    return Access.check(ctx, Permission.APPOINTMENT_READ).compose(v -> {
          Position after = cursors.after(ctx, "appointments", q.fingerprint(), cursor);
          return db.once(ctx, conn -> repository.list(conn, q, after.at(), after.id(), q.limit() + 1))
              .map(found -> Page.of(found, q.limit(), last -> cursors.seal(ctx, "appointments", q.fingerprint(),
                  last.start(), last.id())));
        })
        .onSuccess(page -> ctx.audit().patients(page.items().stream().map(Appointment::patientId).toList()));
  }

  /** One page of a FHIR search, in start order (or its reverse); the same permission and audit as the listing. */
  public Future<Page<Appointment>> search(TenantContext ctx, AppointmentSearch q, String cursor) {
    return Access.check(ctx, Permission.APPOINTMENT_READ).compose(v -> {
          Position after = cursors.after(ctx, "appointments", q.fingerprint(), cursor);
          return db.once(ctx, conn -> repository.search(conn, q, after.at(), after.id(), q.limit() + 1))
              .map(found -> Page.of(found, q.limit(), last -> cursors.seal(ctx, "appointments", q.fingerprint(),
                  last.start(), last.id())));
        })
        .onSuccess(page -> ctx.audit().patients(page.items().stream().map(Appointment::patientId).toList()));
  }

  /** How many appointments a FHIR search matches (as {@link #search} would list them). */
  public Future<Integer> count(TenantContext ctx, AppointmentSearch q) {
    return Access.check(ctx, Permission.APPOINTMENT_READ).compose(v -> db.once(ctx, conn -> repository.count(conn, q)));
  }

  /** The tenant's time zone, in which a visit's day begins. */
  private Future<ZoneId> zone(TenantContext ctx) {
    return catalog.find(ctx.tenantId()).map(t -> t.map(tenant -> ZoneId.of(tenant.timeZone())).orElse(ZoneOffset.UTC));
  }

  /** The zone a visit's day begins in: its facility's own, else the tenant's. */
  private Future<ZoneId> zone(SqlConnection conn, Appointment a, ZoneId tenantZone) {
    return a.facilityId() == null ? Future.succeededFuture(tenantZone)
        : repository.facilityZone(conn, a.facilityId()).map(own -> own.map(ZoneId::of).orElse(tenantZone));
  }

  /**
   * The slot, once it may be held where it says ({@link VisitPlace#admit}). A visit in person that names no facility
   * (when {@code placeNeeded}) is held at its practitioner's only open facility; a practitioner serving several must
   * be told which (422), and one serving none books as before, so clients that never name a facility keep working.
   */
  private Future<Slot> admitted(SqlConnection conn, Slot slot, boolean placeNeeded) {
    if (slot.facilityId() == null) {
      if (!placeNeeded || !slot.inPerson()) {
        return Future.succeededFuture(slot);
      }
      return repository.servedFacilities(conn, slot.practitionerId()).compose(served -> switch (served.size()) {
        case 0 -> Future.succeededFuture(slot);
        case 1 -> admitted(conn, slot.at(served.get(0)), false);
        default -> Future.failedFuture(new Unprocessable("/facilityId",
            "is required for a visit in person: the practitioner serves several facilities"));
      });
    }
    return repository.place(conn, slot).compose(place -> {
      place.orElseThrow(() -> new NotFound("no such facility")).admit(slot);
      return Future.succeededFuture(slot);
    });
  }

  /** A slot after the scheduling rules of its practitioner at its facility, and those rules. */
  private record Ruled(Slot slot, SchedulingRules rules) {
  }

  /**
   * {@code slot} as the "scheduling" configuration of its practitioner at its facility has it ({@link SchedulingRules}):
   * its default length if it names no end and, when {@code startChosen}, its start checked against the grid in the
   * facility's zone, else {@code tenantZone}.
   */
  private Future<Ruled> ruled(SqlConnection conn, TenantContext ctx, Slot slot, boolean startChosen,
                              ZoneId tenantZone) {
    return repository.schedulingSubjects(conn, slot.practitionerId(), slot.facilityId()).map(row -> {
      SchedulingRules rules = SchedulingRules.of(config, ctx, slot.facilityId(), row.getUUID("user_id"));
      String own = row.getString("time_zone");
      return new Ruled(rules.applied(slot, startChosen, own == null ? tenantZone : ZoneId.of(own)), rules);
    });
  }

  /** A virtual visit just booked, with the session opened for it. */
  private Future<Appointment> withSession(SqlConnection conn, TenantContext ctx, Appointment booked) {
    return booked.virtual() ? sessions.open(conn, ctx, booked).map(booked::withSession)
        : Future.succeededFuture(booked);
  }

  /** The changed appointment, once its session (if it has one) has followed the change. */
  private Future<Appointment> followed(SqlConnection conn, TenantContext ctx, Appointment changed, boolean deleted) {
    return changed.sessionId() == null ? Future.succeededFuture(changed)
        : sessions.follow(conn, ctx, changed, deleted).map(changed);
  }

  private Future<Appointment> current(SqlConnection conn, UUID id, Integer version) {
    return repository.findForUpdate(conn, id).map(locked -> {
      Appointment a = found(locked);
      if (version != null && a.version() != version) {
        throw new PreconditionFailed("the appointment has changed since you read it");
      }
      return a;
    });
  }

  /** Names the changed appointment's patient in the request's record and writes the change's outbox message. */
  private Future<Appointment> recorded(SqlConnection conn, TenantContext ctx, Appointment a, String topic) {
    ctx.audit().patient(a.patientId());
    return outbox.append(conn, ctx.tenantId(), new OutboxMessage(topic, a.id().toString(), a.eventPayload())).map(a);
  }

  private Future<Appointment> missingParty(SqlConnection conn, Slot slot) {
    return repository.patientExists(conn, slot.patientId())
        .compose(exists -> Future.failedFuture(new NotFound(exists ? "no such active practitioner"
            : "no such patient")));
  }

  private static <T> Future<T> slotTaken(Throwable failure) {
    if (ConstraintViolation.of(failure, "appointment_no_double_booking")) {
      return Future.failedFuture(new Conflict("the practitioner already has an appointment at that time"
          + " (or the buffer after one, or as many as overbooking allows)"));
    }
    if (ConstraintViolation.of(failure, "appointment_no_room_double_booking")) {
      return Future.failedFuture(new Conflict("the room already has an appointment at that time"));
    }
    return Future.failedFuture(failure);
  }

  private static Appointment found(Optional<Appointment> appointment) {
    return appointment.orElseThrow(() -> new NotFound("no such appointment"));
  }
}
