package io.caduceus.api.telehealth;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.live.LiveChange;
import io.caduceus.api.live.LiveChanges;
import io.caduceus.api.telehealth.video.VideoRoom;
import io.caduceus.api.telehealth.video.VideoRooms;
import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.notifications.outbox.OutboxMessage;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The session's state machine. Only the patient of the visit checks in, from the tenant's lead time before the
 * slot; the visit's clinician (or a colleague, where the tenant allows) admits, which opens the video room; the
 * clinician side ends it, which records the visit's telehealth encounter. Each step moves the appointment with it,
 * is announced to live clients inside its transaction, and is idempotent: asking for the state the session is
 * already in answers it as it is. The video provider is called outside any transaction.
 */
public final class SessionTransitions {

  private static final Logger LOG = LoggerFactory.getLogger(SessionTransitions.class);
  private static final List<String> OPEN_VISIT = List.of("booked", "checked_in");

  private final TenantDb db;
  private final VideoRooms video;
  private final Outbox outbox;
  private final Clock clock;
  private final TelehealthRepository repository = new TelehealthRepository();

  public SessionTransitions(TenantDb db, VideoRooms video, Outbox outbox, Clock clock) {
    this.db = db;
    this.video = video;
    this.outbox = outbox;
    this.clock = clock;
  }

  /** The patient checks in from {@code location} ({@code home} or {@code elsewhere}) and waits to be admitted. */
  public Future<JsonObject> checkIn(TenantContext ctx, UUID id, String location) {
    return json(step(ctx, id, Permission.APPOINTMENT_READ, SessionStatus.WAITING, s -> {
      if (!ctx.actsAsPatient()) {
        throw new Forbidden("only the patient of the visit checks in");
      }
    }, (conn, s) -> {
      expect(s, SessionStatus.SCHEDULED);
      if (clock.instant().isBefore(s.checkInOpensAt())) {
        throw new Conflict("check-in opens at " + s.checkInOpensAt());
      }
      if (!clock.instant().isBefore(s.slotEnd())) {
        throw new Conflict("the visit's slot is over");
      }
      return repository.checkIn(conn, id, location)
          .compose(v -> repository.moveAppointment(conn, ctx, s.appointmentId(), "checked_in", List.of("booked")))
          .mapEmpty();
    }));
  }

  /** A clinician admits the waiting patient: the video room opens, and the patient is told the clinician is ready. */
  public Future<JsonObject> admit(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.ENCOUNTER_WRITE)
        .compose(v -> db.once(ctx, conn -> repository.find(conn, ctx, id)))
        .map(TelehealthService::found)
        .compose(s -> {
          ctx.audit().patient(s.patientId());
          mayAdmit(ctx, s);
          if (s.status() == SessionStatus.IN_PROGRESS) {
            return Future.succeededFuture(s.toJson());
          }
          expect(s, SessionStatus.WAITING);
          // The room holds the tenant's maxParticipants as it is now, or more if guests invited under a higher
          // setting already hold seats.
          return db.once(ctx, repository::settings)
              .map(settings -> Math.max(settings.maxParticipants(), s.occupants(ctx.userId())))
              .compose(size -> video.open(ctx, s.roomName(), size).compose(room -> json(step(ctx, id,
                  Permission.ENCOUNTER_WRITE, SessionStatus.IN_PROGRESS, locked -> mayAdmit(ctx, locked),
                  (conn, locked) -> {
                    expect(locked, SessionStatus.WAITING);
                    return repository.admit(conn, id, ctx.userId(), room.provider(), room.sid(), size)
                        .compose(x -> outbox.append(conn, ctx.tenantId(), readyNotice(locked)))
                        .mapEmpty();
                  }))));
        });
  }

  /** The clinician side ends the visit: its times are kept, its encounter is marked telehealth, the room completes. */
  public Future<JsonObject> end(TenantContext ctx, UUID id) {
    return step(ctx, id, Permission.ENCOUNTER_WRITE, SessionStatus.ENDED, s -> {
      if (!s.isClinicianSide(ctx.userId())) {
        throw new Forbidden("only the clinician of the visit, or the colleague who admitted the patient, ends it");
      }
    }, (conn, s) -> {
      expect(s, SessionStatus.IN_PROGRESS);
      return repository.end(conn, id, ctx.userId())
          .compose(v -> repository.moveAppointment(conn, ctx, s.appointmentId(), "fulfilled", OPEN_VISIT))
          .compose(v -> repository.virtualEncounter(conn, ctx, id));
    }).compose(s -> complete(ctx, s.room()).map(s)).map(TelehealthSession::toJson);
  }

  /** The patient did not come: the session and its appointment are a no-show, once the slot has started. */
  public Future<JsonObject> noShow(TenantContext ctx, UUID id) {
    return json(step(ctx, id, Permission.APPOINTMENT_ATTEND, SessionStatus.NO_SHOW, s -> { }, (conn, s) -> {
      expect(s, SessionStatus.SCHEDULED, SessionStatus.WAITING);
      if (clock.instant().isBefore(s.slotStart())) {
        throw new Conflict("a visit is a no-show only once its slot has started, at " + s.slotStart());
      }
      return repository.setStatus(conn, id, SessionStatus.NO_SHOW)
          .compose(v -> repository.moveAppointment(conn, ctx, s.appointmentId(), "no_show", OPEN_VISIT))
          .compose(moved -> notice(conn, ctx, "appointment.changed", moved));
    }));
  }

  /** The visit is cancelled before it began; a patient may cancel only before checking in. */
  public Future<JsonObject> cancel(TenantContext ctx, UUID id) {
    return json(step(ctx, id, Permission.APPOINTMENT_CANCEL, SessionStatus.CANCELLED, s -> { }, (conn, s) -> {
      expect(s, ctx.actsAsPatient() ? new SessionStatus[] {SessionStatus.SCHEDULED}
          : new SessionStatus[] {SessionStatus.SCHEDULED, SessionStatus.WAITING});
      return repository.setStatus(conn, id, SessionStatus.CANCELLED)
          .compose(v -> repository.moveAppointment(conn, ctx, s.appointmentId(), "cancelled", OPEN_VISIT))
          .compose(moved -> notice(conn, ctx, "appointment.cancelled", moved));
    }));
  }

  /** A transition's work, given the locked session; it throws or fails to refuse. */
  private interface Work {
    Future<Void> apply(SqlConnection conn, TelehealthSession locked);
  }

  /**
   * The shape of every transition: check the permission, lock the session (not found: 404), check that the actor
   * may take this step on it ({@code who}, which throws if not), answer it as it is if it is already in
   * {@code target}, else do the work, announce the change and answer the session as it is now; all in one
   * transaction, which carries the request's audit record.
   */
  private Future<TelehealthSession> step(TenantContext ctx, UUID id, Permission permission, SessionStatus target,
                                         Consumer<TelehealthSession> who, Work work) {
    return Access.check(ctx, permission).compose(v -> db.inTenant(ctx, conn -> repository.lock(conn, ctx, id)
        .map(TelehealthService::found)
        .compose(s -> {
          ctx.audit().patient(s.patientId());
          Future<Void> done;
          try {
            who.accept(s);
            if (s.status() == target) {
              return Future.succeededFuture(s);
            }
            done = work.apply(conn, s);
          } catch (RuntimeException refused) {
            return Future.failedFuture(refused);
          }
          return done.compose(x -> LiveChanges.publish(conn, new LiveChange(ctx.tenantId().value(),
                  LiveChange.SESSION, id, s.practitionerId())))
              .compose(x -> repository.find(conn, ctx, id))
              .map(TelehealthService::found);
        })));
  }

  private static Future<JsonObject> json(Future<TelehealthSession> session) {
    return session.map(TelehealthSession::toJson);
  }

  /** Only a clinician with a practitioner profile admits: the visit's own, or a colleague if the tenant allows. */
  private static void mayAdmit(TenantContext ctx, TelehealthSession s) {
    UUID mine = s.viewer().practitionerId();
    if (mine == null) {
      throw new Forbidden("only a clinician with a practitioner profile admits patients");
    }
    if (!mine.equals(s.practitionerId()) && !s.viewer().colleaguesMayAdmit()) {
      throw new Forbidden("only the clinician of the visit admits; this clinic does not let colleagues admit");
    }
  }

  private static void expect(TelehealthSession s, SessionStatus... allowed) {
    if (!List.of(allowed).contains(s.status())) {
      throw new Conflict("the session is " + s.status().wire());
    }
  }

  /** "Your clinician is ready": ids only, until the slot is over. */
  private static OutboxMessage readyNotice(TelehealthSession s) {
    return new OutboxMessage("telehealth.ready", s.id().toString(), new JsonObject()
        .put("sessionId", s.id().toString()).put("appointmentId", s.appointmentId().toString())
        .put("patientId", s.patientId().toString()).put("practitionerId", s.practitionerId().toString())
        .put("expiresAt", s.slotEnd().plus(TelehealthService.TOKEN_LIFETIME).toString()));
  }

  /** The appointment's own notice of the change, so its queued reminders are withdrawn as for any change. */
  private Future<Void> notice(SqlConnection conn, TenantContext ctx, String topic, Optional<JsonObject> moved) {
    return moved.map(payload -> outbox.append(conn, ctx.tenantId(), new OutboxMessage(topic,
        payload.getString("appointmentId"), payload)).<Void>mapEmpty()).orElse(Future.succeededFuture());
  }

  /** Completes the room after the visit has ended; a provider that fails here leaves the room to its own timeout. */
  private Future<Void> complete(TenantContext ctx, VideoRoom room) {
    if (room.provider() == null || room.sid() == null) {
      return Future.succeededFuture();
    }
    return video.complete(ctx, room).recover(failure -> {
      LOG.warn("a video room could not be completed: {}", failure.getClass().getSimpleName());
      return Future.succeededFuture();
    });
  }
}
