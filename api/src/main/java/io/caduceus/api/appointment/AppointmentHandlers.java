package io.caduceus.api.appointment;

import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
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
    ops.bindRaw("bookAppointment", this::book);
    ops.bindRaw("listAppointments", this::list);
    ops.bindRaw("getAppointment", this::get);
    ops.bindRaw("rescheduleAppointment", this::reschedule);
    ops.bindRaw("changeAppointmentStatus", this::changeStatus);
    ops.bindRaw("deleteAppointment", this::delete);
  }

  private void book(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    idempotency.inTenant(rc, ctx, scoped -> appointments.book(scoped, Requests.body(rc))
            .map(a -> Reply.created("/v1/appointments/" + a.id(), a.toJson(), a.version()).about(a.patientId())))
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private void list(RoutingContext rc) {
    String status = Requests.queryString(rc, "status");
    AppointmentQuery q = new AppointmentQuery(Requests.queryUuid(rc, "practitionerId"),
        Requests.queryUuid(rc, "patientId"), status == null ? null : AppointmentStatus.fromWire(status),
        Requests.queryInstant(rc, "from"), Requests.queryInstant(rc, "to"), Requests.queryInt(rc, "limit", 20));
    appointments.list(Requests.tenant(rc), q, Requests.queryString(rc, "cursor"))
        .onSuccess(page -> Replies.send(rc, Reply.ok(page.toJson(Appointment::toJson))))
        .onFailure(rc::fail);
  }

  private void get(RoutingContext rc) {
    appointments.get(Requests.tenant(rc), Requests.pathUuid(rc, "appointmentId"))
        .onSuccess(a -> Replies.send(rc, Reply.ok(a.toJson(), a.version())))
        .onFailure(rc::fail);
  }

  private void reschedule(RoutingContext rc) {
    int version = ETags.required(rc);
    appointments.reschedule(Requests.tenant(rc), Requests.pathUuid(rc, "appointmentId"), version, Requests.body(rc))
        .onSuccess(a -> Replies.send(rc, Reply.ok(a.toJson(), a.version())))
        .onFailure(rc::fail);
  }

  private void changeStatus(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    UUID id = Requests.pathUuid(rc, "appointmentId");
    Integer version = ETags.optional(rc);
    JsonObject body = Requests.body(rc);
    idempotency.inTenant(rc, ctx, scoped -> appointments.changeStatus(scoped, id, version, body.getString("status"),
            body.getString("reason")).map(a -> Reply.ok(a.toJson(), a.version()).about(a.patientId())))
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private void delete(RoutingContext rc) {
    appointments.delete(Requests.tenant(rc), Requests.pathUuid(rc, "appointmentId"))
        .onSuccess(v -> Replies.send(rc, Reply.noContent()))
        .onFailure(rc::fail);
  }
}
