package io.caduceus.api.telehealth;

import io.caduceus.api.appointment.Appointment;
import io.caduceus.api.appointment.AppointmentStatus;
import io.caduceus.api.appointment.VisitSessions;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.api.live.LiveChange;
import io.caduceus.api.live.LiveChanges;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.UUID;

/**
 * Keeps a virtual visit's session in step with its appointment, inside the appointment's own transaction: booking
 * opens the session (only where the tenant offers virtual visits), cancelling or a no-show of the appointment
 * ends the session the same way, the front desk checking the patient in puts them in the waiting room, and a
 * rescheduled visit's session moves to its new clinician. A virtual visit is fulfilled only by ending its session
 * (which records the telehealth encounter), never around it.
 */
public final class SessionLinks implements VisitSessions {

  private final TelehealthRepository repository = new TelehealthRepository();

  @Override
  public Future<UUID> open(SqlConnection conn, TenantContext ctx, Appointment visit) {
    return repository.settings(conn).compose(settings -> {
      if (!settings.virtualVisits()) {
        return Future.failedFuture(new Unprocessable("this clinic does not offer virtual visits; its admin turns"
            + " them on in the telehealth settings"));
      }
      return repository.open(conn, ctx, visit.id(), visit.patientId(), visit.practitionerId(),
              settings.maxParticipants())
          .compose(id -> LiveChanges.publish(conn, new LiveChange(ctx.tenantId().value(), LiveChange.SESSION, id,
              visit.practitionerId())).map(id));
    });
  }

  @Override
  public Future<Void> follow(SqlConnection conn, TenantContext ctx, Appointment visit, boolean deleted) {
    if (!deleted && visit.status() == AppointmentStatus.FULFILLED) {
      return repository.statusOf(conn, visit.id()).compose(status -> status.isEmpty()
          || status.get() == SessionStatus.ENDED ? Future.succeededFuture()
          : Future.failedFuture(new Conflict("a virtual visit is fulfilled by ending its telehealth session")));
    }
    SessionStatus status = deleted || visit.status() == AppointmentStatus.CANCELLED ? SessionStatus.CANCELLED
        : visit.status() == AppointmentStatus.NO_SHOW ? SessionStatus.NO_SHOW
        : visit.status() == AppointmentStatus.CHECKED_IN ? SessionStatus.WAITING : null;
    return repository.follow(conn, visit.id(), visit.practitionerId(), status)
        .compose(followed -> followed.isEmpty() ? Future.succeededFuture()
            : LiveChanges.publish(conn, new LiveChange(ctx.tenantId().value(), LiveChange.SESSION,
                followed.get().sessionId(), followed.get().practitionerId())));
  }
}
