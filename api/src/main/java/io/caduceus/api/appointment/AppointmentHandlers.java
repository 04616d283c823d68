package io.caduceus.api.appointment;

import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/** The {@code /v1/appointments} operations. */
public final class AppointmentHandlers {

  private final AppointmentService appointments;
  private final Idempotency idempotency;

  public AppointmentHandlers(AppointmentService appointments, Idempotency idempotency) {
    this.appointments = appointments;
    this.idempotency = idempotency;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("bookAppointment", this::book);
    ops.bind("listAppointments", this::list);
    ops.bind("getAppointment", this::get);
    ops.bind("rescheduleAppointment", this::reschedule);
    ops.bind("changeAppointmentStatus", this::changeStatus);
    ops.bind("deleteAppointment", this::delete);
  }

  private Future<Reply> book(RoutingContext rc) {
    return idempotency.inTransaction(rc, Requests.tenant(rc), joined -> appointments.book(joined, Requests.body(rc))
        .map(a -> Reply.created("/v1/appointments/" + a.id(), a.toJson(), a.version()).about(a.patientId())));
  }

  private Future<Reply> list(RoutingContext rc) {
    String status = Requests.queryString(rc, "status");
    AppointmentQuery q = new AppointmentQuery(Requests.queryUuid(rc, "practitionerId"),
        Requests.queryUuid(rc, "patientId"), status == null ? null : AppointmentStatus.fromWire(status),
        Requests.queryInstant(rc, "from"), Requests.queryInstant(rc, "to"), Requests.queryUuid(rc, "facilityId"),
        Requests.queryUuid(rc, "roomId"), Requests.queryInt(rc, "limit", 20));
    return appointments.list(Requests.tenant(rc), q, Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(Appointment::toJson)));
  }

  private Future<Reply> get(RoutingContext rc) {
    return appointments.get(Requests.tenant(rc), Requests.pathUuid(rc, "appointmentId"))
        .map(a -> Reply.ok(a.toJson(), a.version()));
  }

  private Future<Reply> reschedule(RoutingContext rc) {
    int version = ETags.required(rc);
    return appointments.reschedule(Requests.tenant(rc), Requests.pathUuid(rc, "appointmentId"), version,
            Requests.body(rc))
        .map(a -> Reply.ok(a.toJson(), a.version()));
  }

  private Future<Reply> changeStatus(RoutingContext rc) {
    UUID id = Requests.pathUuid(rc, "appointmentId");
    Integer version = ETags.optional(rc);
    JsonObject body = Requests.body(rc);
    return idempotency.inTransaction(rc, Requests.tenant(rc), joined -> appointments.changeStatus(joined, id, version,
            body.getString("status"), body.getString("reason"))
        .map(a -> Reply.ok(a.toJson(), a.version()).about(a.patientId())));
  }

  private Future<Reply> delete(RoutingContext rc) {
    return appointments.delete(Requests.tenant(rc), Requests.pathUuid(rc, "appointmentId")).map(v -> Reply.noContent());
  }
}
