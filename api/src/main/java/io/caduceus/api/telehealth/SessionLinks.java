package io.caduceus.api.telehealth;

import io.caduceus.api.appointment.Appointment;
import io.caduceus.api.appointment.AppointmentStatus;
import io.caduceus.api.appointment.VisitSessions;
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
 * ends the session the same way, and a rescheduled visit's session moves to its new clinician.
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
    SessionStatus status = deleted || visit.status() == AppointmentStatus.CANCELLED ? SessionStatus.CANCELLED
        : visit.status() == AppointmentStatus.NO_SHOW ? SessionStatus.NO_SHOW : null;
    return repository.follow(conn, visit.id(), visit.practitionerId(), status)
        .compose(followed -> followed.isEmpty() ? Future.succeededFuture()
            : LiveChanges.publish(conn, new LiveChange(ctx.tenantId().value(), LiveChange.SESSION,
                followed.get().sessionId(), followed.get().practitionerId())));
  }
}
