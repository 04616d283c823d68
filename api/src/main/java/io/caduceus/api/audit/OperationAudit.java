package io.caduceus.api.audit;

import io.caduceus.routing.RequestAudit;
import io.caduceus.routing.TenantContext;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The audit record of one request to a declared operation ({@link AuditDeclaration}). The write transaction that
 * carries the request's change writes it before it commits ({@link #beforeCommit}); whatever no transaction carried
 * is recorded when the handler's result settles ({@link #settle}), before the response leaves:
 * <ul>
 *   <li>a read records every outcome, and its answer waits until the record is durable: if it cannot be written,
 *       the read fails and no PHI leaves;</li>
 *   <li>a write that was refused (denied, not found) records that; a write whose change committed elsewhere (the
 *       control plane) records its success afterwards, retried and logged if it cannot be written.</li>
 * </ul>
 * One request runs on one event loop, so the record needs no locking.
 */
public final class OperationAudit implements RequestAudit {

  private final AuditTrail trail;
  private final AuditDeclaration declared;
  private final boolean read;
  private String action;
  private UUID resourceId;
  private final Set<UUID> patients = new LinkedHashSet<>();
  private UUID partner;
  private boolean withheld;
  private boolean inTransaction;
  private boolean written;
  private TenantContext actor;

  OperationAudit(AuditTrail trail, AuditDeclaration declared, boolean read, UUID resourceId, UUID patient) {
    this.trail = trail;
    this.declared = declared;
    this.read = read;
    this.action = declared.defaultAction();
    this.resourceId = resourceId;
    if (patient != null) {
      patients.add(patient);
    }
  }

  /** The context of an operation that has no token: the service names the tenant it acts in. */
  public TenantContext actingFor(TenantContext ctx) {
    TenantContext recording = ctx.withAudit(this);
    actor = recording;
    return recording;
  }

  @Override
  public RequestAudit about(UUID id) {
    resourceId = id;
    return this;
  }

  @Override
  public RequestAudit patient(UUID patientId) {
    if (patientId != null) {
      patients.add(patientId);
    }
    return this;
  }

  @Override
  public RequestAudit patients(Collection<UUID> patientIds) {
    patientIds.forEach(this::patient);
    return this;
  }

  @Override
  public RequestAudit partner(UUID partnerTenant) {
    partner = partnerTenant;
    return this;
  }

  @Override
  public RequestAudit action(String declaredAction) {
    if (!declared.actions().contains(declaredAction)) {
      throw new IllegalStateException("action " + declaredAction + " is not declared for this operation");
    }
    action = declaredAction;
    return this;
  }

  @Override
  public RequestAudit withheld() {
    withheld = true;
    return this;
  }

  @Override
  public Future<Void> beforeCommit(SqlConnection transaction, TenantContext ctx) {
    if (withheld || written) {
      return Future.succeededFuture();
    }
    return trail.record(transaction, ctx, event(AuditEvent.Outcome.SUCCESS)).onSuccess(v -> inTransaction = true);
  }

  @Override
  public void committed() {
    written |= inTransaction;
    inTransaction = false;
  }

  /** Passes the handler's result on once what no transaction carried is recorded (see the class comment). */
  public <T> Future<T> settle(TenantContext ctx, AsyncResult<T> result) {
    TenantContext who = ctx != null ? ctx : actor;
    if (withheld || written || who == null) {
      return result.succeeded() ? Future.succeededFuture(result.result()) : Future.failedFuture(result.cause());
    }
    AuditEvent event = event(AuditEvent.Outcome.SUCCESS);
    if (read) {
      return trail.recordOutcome(who, event, result);
    }
    return result.succeeded() ? trail.recordChange(who, event, result) : trail.afterWrite(who, event, result);
  }

  private AuditEvent event(AuditEvent.Outcome outcome) {
    return new AuditEvent(action, declared.object(), resourceId, List.copyOf(patients), outcome, partner);
  }
}
