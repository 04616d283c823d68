package io.caduceus.api.billing;

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
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * How claim messages are applied where they arrive. At the insurer: a submitted claim becomes an incoming copy,
 * matched to the member's coverage by the member id's blind index, and is acknowledged back. At the clinic: the
 * acknowledgement, the decision and each payment update the outgoing copy, and every change of status is told
 * to the patient through the clinic's outbox ({@code claim.status_changed}).
 */
public final class ClaimExchange {

  static final String STATUS_CHANGED = "claim.status_changed";

  private final ClaimRepository claims = new ClaimRepository();
  private final CoverageRepository coverages = new CoverageRepository();
  private final Exchange exchange;
  private final ExchangeSeal seal;
  private final TenantKeyring keyring;
  private final Outbox outbox;

  public ClaimExchange(Exchange exchange, ExchangeSeal seal, TenantKeyring keyring, Outbox outbox) {
    this.exchange = exchange;
    this.seal = seal;
    this.keyring = keyring;
    this.outbox = outbox;
  }

  /** Registers the receivers of claim messages. */
  public void register(ExchangeDelivery delivery) {
    delivery.on(ClaimService.SUBMITTED, this::submitted)
        .on(AdjudicationService.RECEIVED, this::received)
        .on(AdjudicationService.ADJUDICATED, this::adjudicated)
        .on(AdjudicationService.PAID, this::paid);
  }

  private Future<AuditEvent> submitted(SqlConnection conn, TenantContext insurer, ExchangeEnvelope envelope) {
    JsonObject doc = envelope.document();
    UUID clinicClaim = UUID.fromString(doc.getString("claimId"));
    String memberId = seal.open(clinicClaim, doc.getString("memberIdSealed"));
    UUID id = UuidV7.next();
    return keyring.keys(insurer.tenantId()).compose(keys -> ExchangedPatients.resolve(conn, insurer, envelope.from(),
            doc.getJsonObject("patient"))
        .compose(patientId -> coverages.idByMember(conn, MemberIds.index(keys, memberId))
            .compose(coverageId -> claims.insert(conn, insurer, new Claim(id, "incoming", envelope.from(), clinicClaim,
                envelope.linkId(), patientId, null, coverageId.orElse(null),
                keys.seal(MemberIds.claimBinding(id), memberId), LocalDate.parse(doc.getString("serviceDate")),
                doc.getJsonObject("provider"), doc.getJsonArray("diagnoses"), doc.getJsonArray("lines"),
                doc.getString("currency"), doc.getLong("totalCents"), null, 0, ClaimStatus.SUBMITTED, null, null,
                null, null, null, 1))))
        .compose(c -> exchange.reply(conn, insurer, envelope, AdjudicationService.RECEIVED, id, new JsonObject()
                .put("claimId", clinicClaim.toString()).put("insurerClaimId", id.toString()),
                AuditEvent.of("claim.acknowledge", "claim", id, c.patientId()))
            .map(v -> AuditEvent.of("claim.receive", "claim", id, c.patientId()))));
  }

  private Future<AuditEvent> received(SqlConnection conn, TenantContext clinic, ExchangeEnvelope envelope) {
    JsonObject doc = envelope.document();
    return outgoing(conn, envelope).compose(c -> claims.learnCounterpart(conn, c.id(),
            UUID.fromString(doc.getString("insurerClaimId")))
        .map(v -> AuditEvent.of("claim.partner_received", "claim", c.id(), c.patientId())));
  }

  private Future<AuditEvent> adjudicated(SqlConnection conn, TenantContext clinic, ExchangeEnvelope envelope) {
    JsonObject doc = envelope.document();
    ClaimStatus next = ClaimStatus.fromWire(doc.getString("status"));
    return outgoing(conn, envelope).compose(c -> claims.decide(conn, c.id(), next, doc.getString("decision"),
            doc.getLong("approvedCents"), doc.getJsonArray("reasons"), UUID.fromString(doc.getString("insurerClaimId")))
        .compose(v -> statusChanged(conn, clinic, c, next))
        .map(v -> AuditEvent.of("claim.partner_adjudicated", "claim", c.id(), c.patientId())));
  }

  private Future<AuditEvent> paid(SqlConnection conn, TenantContext clinic, ExchangeEnvelope envelope) {
    JsonObject doc = envelope.document();
    ClaimStatus next = ClaimStatus.fromWire(doc.getString("status"));
    return outgoing(conn, envelope).compose(c -> claims.pay(conn, clinic, c, UuidV7.next(), doc.getLong("amountCents"),
            doc.getString("reference"), Instant.parse(doc.getString("paidAt")), next)
        .compose(v -> next == c.status() ? Future.<Void>succeededFuture() : statusChanged(conn, clinic, c, next))
        .map(v -> AuditEvent.of("claim.partner_paid", "claim", c.id(), c.patientId())));
  }

  private Future<Void> statusChanged(SqlConnection conn, TenantContext clinic, Claim c, ClaimStatus next) {
    return outbox.append(conn, clinic.tenantId(), new OutboxMessage(STATUS_CHANGED, c.id().toString(),
        new JsonObject().put("claimId", c.id().toString()).put("patientId", c.patientId().toString())
            .put("status", next.wire()))).mapEmpty();
  }

  private Future<Claim> outgoing(SqlConnection conn, ExchangeEnvelope envelope) {
    return claims.lock(conn, UUID.fromString(envelope.document().getString("claimId"))).map(c -> {
      if (!c.outgoing() || !c.counterpartTenant().equals(envelope.from())) {
        throw new PermanentFailure("the answer does not match a claim sent to its sender");
      }
      return c;
    }).recover(failure -> Future.failedFuture(failure instanceof NotFound
        ? new PermanentFailure("the answer names no claim of this clinic") : failure));
  }
}
