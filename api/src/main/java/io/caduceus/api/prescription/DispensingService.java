package io.caduceus.api.prescription;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.exchange.Exchange;
import io.caduceus.api.partner.PartnerLink;
import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.notifications.outbox.OutboxMessage;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The pharmacy's side of a prescription: the pharmacist runs the interaction check, acknowledges its hits, and
 * dispenses. Dispensing runs the check again and refuses while any hit is unacknowledged; each fill records its lot
 * and quantity, tells the patient the medication is ready for pickup (through the pharmacy's outbox), and is sent
 * back to the prescribing clinic over the same link.
 */
public final class DispensingService {

  static final String DISPENSED = "prescription.dispensed";
  static final String PICKUP_READY = "prescription.pickup_ready";

  private final TenantDb db;
  private final PrescriptionRepository prescriptions = new PrescriptionRepository();
  private final InteractionCheck check;
  private final Exchange exchange;
  private final Outbox outbox;

  public DispensingService(TenantDb db, Exchange exchange, Outbox outbox, InteractionKnowledgeBase kb) {
    this.db = db;
    this.exchange = exchange;
    this.outbox = outbox;
    this.check = new InteractionCheck(kb);
  }

  /** The interaction check of a prescription the pharmacy received, with what is already acknowledged. */
  public Future<InteractionFindings> interactions(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.DISPENSE)
        .compose(v -> db.inTenant(ctx, conn -> incoming(conn, id, false).compose(p -> check.run(conn, p))
            .map(findings -> {
              ctx.audit().patient(findings.prescription().patientId());
              return findings;
            })));
  }

  /** Records the pharmacist's acknowledgement of current interaction hits, by key, with a note. */
  public Future<Prescription> review(TenantContext ctx, UUID id, List<String> keys, String note) {
    return Access.check(ctx, Permission.DISPENSE)
        .compose(v -> db.inTenant(ctx, conn -> incoming(conn, id, true)
            .compose(p -> check.run(conn, p).compose(findings -> {
              List<InteractionHit> acknowledged = current(findings, keys);
              JsonObject review = InteractionReview.of(p).with(acknowledged, ctx.userId(), Instant.now(), note)
                  .toJson();
              return prescriptions.setReview(conn, id, review)
                  .compose(x -> {
                    ctx.audit().patient(p.patientId());
                    return prescriptions.find(conn, id);
                  });
            }))));
  }

  /** Dispenses the next fill: lot and quantity; refused while an interaction hit is unacknowledged. */
  public Future<Prescription> dispense(TenantContext ctx, UUID id, String lot, BigDecimal quantity) {
    return Access.check(ctx, Permission.DISPENSE)
        .compose(v -> db.inTenant(ctx, conn -> incoming(conn, id, true).compose(p -> {
          if (quantity.compareTo(p.quantity()) > 0) {
            return Future.failedFuture(new Invalid("/quantity", "more than the prescribed quantity per fill"));
          }
          return exchange.link(p.linkId(), ctx.tenantId())
              .compose(link -> check.run(conn, p).compose(findings -> {
                List<InteractionHit> open = findings.unacknowledged();
                return open.isEmpty() ? fill(conn, ctx, link, p, lot, quantity)
                    : Future.failedFuture(unacknowledged(open));
              }))
              .compose(x -> prescriptions.find(conn, id));
        })));
  }

  private Future<Void> fill(SqlConnection conn, TenantContext ctx, PartnerLink link, Prescription p, String lot,
                            BigDecimal quantity) {
    int number = p.fills() + 1;
    Instant at = Instant.now();
    PrescriptionStatus next = number == p.fillsAllowed() ? PrescriptionStatus.COMPLETED : PrescriptionStatus.DISPENSED;
    JsonObject pickup = new JsonObject().put("prescriptionId", p.id().toString())
        .put("patientId", p.patientId().toString()).put("fillNumber", number);
    JsonObject answer = new JsonObject().put("prescriptionId", p.counterpartId().toString())
        .put("pharmacyPrescriptionId", p.id().toString()).put("status", next.wire()).put("fills", number)
        .put("lastFilledAt", at.toString()).put("fill", new JsonObject().put("fillNumber", number).put("lot", lot)
            .put("quantity", quantity).put("dispensedAt", at.toString()));
    return prescriptions.recordFill(conn, ctx, p, new PrescriptionRepository.Fill(number, lot, quantity,
            ctx.userId(), at), next, null)
        .compose(v -> outbox.append(conn, ctx.tenantId(), new OutboxMessage(PICKUP_READY, p.id().toString(), pickup)))
        .compose(v -> exchange.send(conn, ctx, link, DISPENSED, p.id(), p.patientId(), answer));
  }

  /** The pharmacy's copy; {@code toFill} locks it and requires that another fill is allowed. */
  private Future<Prescription> incoming(SqlConnection conn, UUID id, boolean toFill) {
    return (toFill ? prescriptions.lock(conn, id) : prescriptions.find(conn, id)).map(p -> {
      if (p.outgoing()) {
        throw new Forbidden("the pharmacy works on a prescription, not the clinic that wrote it");
      }
      if (toFill && (!p.status().fillable() || p.fills() >= p.fillsAllowed())) {
        throw new Conflict("the prescription is " + p.status().wire() + " after " + p.fills() + " of "
            + p.fillsAllowed() + " fills; it cannot be filled again");
      }
      return p;
    });
  }

  private static List<InteractionHit> current(InteractionFindings findings, List<String> keys) {
    List<InteractionHit> found = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      int at = i;
      found.add(findings.hits().stream().filter(h -> h.key().equals(key)).findFirst()
          .orElseThrow(() -> new Invalid("/acknowledged/" + at, "names an interaction this prescription does not have"
              + " now; run the check again")));
    }
    return found;
  }

  private static Conflict unacknowledged(List<InteractionHit> open) {
    return new Conflict("the pharmacist must acknowledge " + open.size() + " interaction(s) before dispensing: "
        + open.stream().map(h -> h.pair() + " (" + h.interaction().severity() + ", " + h.key() + ")")
            .collect(Collectors.joining("; ")));
  }
}
