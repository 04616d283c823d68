package io.caduceus.api.prescription;

import io.caduceus.api.audit.AuditEvent;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.exchange.Exchange;
import io.caduceus.api.exchange.ExchangeDelivery;
import io.caduceus.api.exchange.ExchangeEnvelope;
import io.caduceus.api.exchange.ExchangedPatients;
import io.caduceus.notifications.outbox.PermanentFailure;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * How prescription messages are applied where they arrive. At the pharmacy: a new prescription becomes an incoming
 * copy in the queue (acknowledged back as received) with the patient's identification and contact; a cancellation
 * cancels it. At the clinic: the acknowledgement and each fill update the outgoing copy (status, fills, last fill).
 */
public final class PrescriptionExchange {

  static final String STATUS = "prescription.status";

  private final PrescriptionRepository prescriptions = new PrescriptionRepository();
  private final Exchange exchange;

  public PrescriptionExchange(Exchange exchange) {
    this.exchange = exchange;
  }

  /** Registers the receivers of prescription messages. */
  public void register(ExchangeDelivery delivery) {
    delivery.on(PrescriptionService.PLACED, this::placed)
        .on(PrescriptionService.CANCELLED, this::cancelled)
        .on(STATUS, this::status)
        .on(DispensingService.DISPENSED, this::dispensed);
  }

  private Future<AuditEvent> placed(SqlConnection conn, TenantContext pharmacy, ExchangeEnvelope envelope) {
    JsonObject doc = envelope.document();
    UUID clinicCopy = UUID.fromString(doc.getString("prescriptionId"));
    JsonObject prescriber = doc.getJsonObject("prescriber");
    return ExchangedPatients.resolve(conn, pharmacy, envelope.from(), doc.getJsonObject("patient"))
        .compose(patientId -> prescriptions.insert(conn, pharmacy, new Prescription(UuidV7.next(), "incoming",
            envelope.from(), clinicCopy, envelope.linkId(), patientId, null, null, prescriber.getString("name"),
            prescriber.getString("npi"), Medication.fromJson(doc.getJsonObject("medication")), doc.getString("dose"),
            doc.getString("frequency"), new BigDecimal(doc.getNumber("quantity").toString()),
            doc.getInteger("refills"), doc.getInteger("daysSupply"), doc.getString("note"),
            PrescriptionStatus.RECEIVED, 0, null, null, null, null, 1, null)))
        .compose(p -> exchange.reply(conn, pharmacy, envelope, STATUS, p.id(), new JsonObject()
                .put("prescriptionId", clinicCopy.toString()).put("pharmacyPrescriptionId", p.id().toString())
                .put("status", PrescriptionStatus.RECEIVED.wire()),
                AuditEvent.of("prescription.acknowledge", "prescription", p.id(), p.patientId()))
            .map(v -> AuditEvent.of("prescription.receive", "prescription", p.id(), p.patientId())));
  }

  private Future<AuditEvent> cancelled(SqlConnection conn, TenantContext pharmacy, ExchangeEnvelope envelope) {
    UUID clinicCopy = UUID.fromString(envelope.document().getString("prescriptionId"));
    return prescriptions.byCounterpart(conn, envelope.from(), clinicCopy).compose(found -> {
      Prescription p = found.orElseThrow(() -> new PermanentFailure("the pharmacy has no copy of the cancelled"
          + " prescription"));
      Future<Void> applied = p.status().closed() ? Future.succeededFuture()
          : prescriptions.setStatus(conn, p.id(), PrescriptionStatus.CANCELLED, null);
      return applied.map(v -> AuditEvent.of("prescription.cancelled_by_partner", "prescription", p.id(),
          p.patientId()));
    });
  }

  private Future<AuditEvent> status(SqlConnection conn, TenantContext clinic, ExchangeEnvelope envelope) {
    UUID pharmacyCopy = UUID.fromString(envelope.document().getString("pharmacyPrescriptionId"));
    return outgoing(conn, envelope).compose(p -> {
      // Only a prescription still waiting is moved; a cancelled one keeps its state but learns the pharmacy's id.
      PrescriptionStatus next = p.status() == PrescriptionStatus.SENT ? PrescriptionStatus.RECEIVED : p.status();
      return prescriptions.setStatus(conn, p.id(), next, pharmacyCopy)
          .map(v -> AuditEvent.of("prescription.partner_status", "prescription", p.id(), p.patientId()));
    });
  }

  private Future<AuditEvent> dispensed(SqlConnection conn, TenantContext clinic, ExchangeEnvelope envelope) {
    JsonObject doc = envelope.document();
    JsonObject fill = doc.getJsonObject("fill");
    UUID pharmacyCopy = UUID.fromString(doc.getString("pharmacyPrescriptionId"));
    PrescriptionStatus reported = PrescriptionStatus.fromWire(doc.getString("status"));
    return outgoing(conn, envelope).compose(p -> {
      // A fill the pharmacy made is recorded even if the clinic cancelled meanwhile; the cancellation stands.
      PrescriptionStatus next = p.status() == PrescriptionStatus.CANCELLED ? p.status() : reported;
      return prescriptions.recordFill(conn, clinic, p, new PrescriptionRepository.Fill(fill.getInteger("fillNumber"),
              fill.getString("lot"), new BigDecimal(fill.getNumber("quantity").toString()), ExchangeDelivery.ACTOR,
              Instant.parse(fill.getString("dispensedAt"))), next, pharmacyCopy)
          .map(v -> AuditEvent.of("prescription.partner_dispensed", "prescription", p.id(), p.patientId()));
    });
  }

  private Future<Prescription> outgoing(SqlConnection conn, ExchangeEnvelope envelope) {
    return prescriptions.lock(conn, UUID.fromString(envelope.document().getString("prescriptionId"))).map(p -> {
      if (!p.outgoing() || !p.counterpartTenant().equals(envelope.from())) {
        throw new PermanentFailure("the answer does not match a prescription sent to its sender");
      }
      return p;
    }).recover(failure -> Future.failedFuture(failure instanceof NotFound
        ? new PermanentFailure("the answer names no prescription of this clinic") : failure));
  }
}
