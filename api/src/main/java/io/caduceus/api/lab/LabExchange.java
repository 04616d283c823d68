package io.caduceus.api.lab;

import io.caduceus.api.audit.AuditEvent;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.exchange.Exchange;
import io.caduceus.api.exchange.ExchangeDelivery;
import io.caduceus.api.exchange.ExchangeEnvelope;
import io.caduceus.api.exchange.ExchangedPatients;
import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.notifications.outbox.OutboxMessage;
import io.caduceus.notifications.outbox.PermanentFailure;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How lab-order messages are applied where they arrive. At the lab: a placed order becomes an incoming copy
 * (acknowledged back as received), a cancellation cancels it. At the clinic: status steps and results update
 * the outgoing copy; results raise a "result available" message for the patient and, when any is abnormal, an
 * alert for the ordering physician, both through the clinic's outbox.
 */
public final class LabExchange {

  private final LabOrderRepository orders = new LabOrderRepository();
  private final Exchange exchange;
  private final Outbox outbox;

  public LabExchange(Exchange exchange, Outbox outbox) {
    this.exchange = exchange;
    this.outbox = outbox;
  }

  /** Registers the receivers of lab-order messages. */
  public void register(ExchangeDelivery delivery) {
    delivery.on(LabOrderService.PLACED, this::placed)
        .on(LabOrderService.CANCELLED, this::cancelled)
        .on(LabWorkService.STATUS, this::status)
        .on(LabWorkService.RESULTED, this::resulted);
  }

  private Future<AuditEvent> placed(SqlConnection conn, TenantContext lab, ExchangeEnvelope envelope) {
    JsonObject doc = envelope.document();
    UUID clinicOrder = UUID.fromString(doc.getString("orderId"));
    JsonObject orderer = doc.getJsonObject("orderer");
    return ExchangedPatients.resolve(conn, lab, envelope.from(), doc.getJsonObject("patient"))
        .compose(patientId -> orders.insert(conn, lab, new LabOrder(UuidV7.next(), "incoming", envelope.from(),
            clinicOrder, envelope.linkId(), patientId, null, null, orderer.getString("name"), orderer.getString("npi"),
            doc.getJsonArray("tests"), doc.getString("priority"), doc.getString("note"), LabOrderStatus.RECEIVED, null,
            null, null, 1, null)))
        .compose(o -> exchange.reply(conn, lab, envelope, LabWorkService.STATUS, o.id(), new JsonObject()
                .put("orderId", clinicOrder.toString()).put("labOrderId", o.id().toString())
                .put("status", LabOrderStatus.RECEIVED.wire()),
                AuditEvent.of("lab_order.acknowledge", "lab_order", o.id(), o.patientId()))
            .map(v -> AuditEvent.of("lab_order.receive", "lab_order", o.id(), o.patientId())));
  }

  private Future<AuditEvent> cancelled(SqlConnection conn, TenantContext lab, ExchangeEnvelope envelope) {
    UUID clinicOrder = UUID.fromString(envelope.document().getString("orderId"));
    return orders.byCounterpart(conn, envelope.from(), clinicOrder).compose(found -> {
      LabOrder o = found.orElseThrow(() -> new PermanentFailure("the lab has no copy of the cancelled order"));
      Future<Void> applied = o.status().closed() ? Future.succeededFuture()
          : orders.setStatus(conn, o.id(), LabOrderStatus.CANCELLED, null, null);
      return applied.map(v -> AuditEvent.of("lab_order.cancelled_by_partner", "lab_order", o.id(), o.patientId()));
    });
  }

  private Future<AuditEvent> status(SqlConnection conn, TenantContext clinic, ExchangeEnvelope envelope) {
    JsonObject doc = envelope.document();
    LabOrderStatus reported = LabOrderStatus.fromWire(doc.getString("status"));
    return outgoing(conn, envelope).compose(o -> {
      // A cancelled or resulted order keeps its state; a late step still teaches the clinic the lab's order id.
      LabOrderStatus next = o.status().closed() ? o.status() : reported;
      return orders.setStatus(conn, o.id(), next, UUID.fromString(doc.getString("labOrderId")), null)
          .map(v -> AuditEvent.of("lab_order.partner_status", "lab_order", o.id(), o.patientId()));
    });
  }

  private Future<AuditEvent> resulted(SqlConnection conn, TenantContext clinic, ExchangeEnvelope envelope) {
    JsonObject doc = envelope.document();
    List<LabResult> results = new ArrayList<>();
    JsonArray arrived = doc.getJsonArray("results");
    for (int i = 0; i < arrived.size(); i++) {
      results.add(LabResult.from(arrived.getJsonObject(i), "/results/" + i, Instant.now(), Map.of()));
    }
    return outgoing(conn, envelope).compose(o -> orders.addResults(conn, clinic, o, results)
        .compose(v -> orders.setStatus(conn, o.id(), LabOrderStatus.RESULTED,
            UUID.fromString(doc.getString("labOrderId")), doc.getString("report")))
        .compose(v -> notify(conn, clinic, o, results))
        .map(v -> AuditEvent.of("lab_order.results_received", "lab_order", o.id(), o.patientId())));
  }

  private Future<Void> notify(SqlConnection conn, TenantContext clinic, LabOrder o, List<LabResult> results) {
    JsonObject about = new JsonObject().put("orderId", o.id().toString()).put("patientId", o.patientId().toString());
    Future<UUID> available = outbox.append(conn, clinic.tenantId(),
        new OutboxMessage("lab_result.available", o.id().toString(), about.copy()));
    long abnormal = results.stream().filter(LabResult::abnormal).count();
    if (abnormal == 0) {
      return available.mapEmpty();
    }
    JsonObject alert = about.copy().put("orderedBy", o.orderedBy() == null ? null : o.orderedBy().toString())
        .put("abnormalResults", abnormal).put("critical", results.stream().anyMatch(LabResult::critical));
    return available.compose(v -> outbox.append(conn, clinic.tenantId(),
        new OutboxMessage("lab_result.abnormal", o.id().toString(), alert))).mapEmpty();
  }

  private Future<LabOrder> outgoing(SqlConnection conn, ExchangeEnvelope envelope) {
    return orders.lock(conn, UUID.fromString(envelope.document().getString("orderId"))).map(o -> {
      if (!o.outgoing() || !o.counterpartTenant().equals(envelope.from())) {
        throw new PermanentFailure("the answer does not match an order placed with its sender");
      }
      return o;
    }).recover(failure -> Future.failedFuture(failure instanceof NotFound
        ? new PermanentFailure("the answer names no order of this clinic") : failure));
  }
}
