package io.caduceus.routing;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.Collection;
import java.util.UUID;

/**
 * The audit record of the request a context acts for. The operation declares what it is (its action and the kind
 * of object it touches, in the contract); the service adds only what it alone knows: the object's id, the patients
 * it concerns, the other tenant of an exchange. {@link TenantDb#inTenant} writes it inside the transaction that
 * carries the request's change, just before {@code COMMIT}, so a change and its record commit together; whatever
 * no transaction carried is recorded before the response leaves.
 */
public interface RequestAudit {

  /** No request: work the platform does on its own (sealing, scheduling, an exchange's other side). */
  RequestAudit NONE = new RequestAudit() {
  };

  /** The object acted on, when the path does not name it (a created row, the row a search key found). */
  default RequestAudit about(UUID resourceId) {
    return this;
  }

  /** A patient the request concerns. */
  default RequestAudit patient(UUID patientId) {
    return this;
  }

  /** The patients the request concerns (the rows a search or a list returned). */
  default RequestAudit patients(Collection<UUID> patientIds) {
    return this;
  }

  /** The other tenant of a cross-tenant exchange. */
  default RequestAudit partner(UUID partnerTenant) {
    return this;
  }

  /** Which of the operation's declared actions happened, for an operation that declares several. */
  default RequestAudit action(String declaredAction) {
    return this;
  }

  /**
   * The declared record is not written for this request: it changed nothing (an idempotent replay, which records
   * {@code request.replay}; an SMS keyword from a number no patient has), or it records its own events where the
   * declared one cannot go (one per tenant of a patient's portal, the audited tenant's own trail).
   */
  default RequestAudit withheld() {
    return this;
  }

  /** Adds the record to the transaction about to commit; called by {@link TenantDb} only. */
  default Future<Void> beforeCommit(SqlConnection transaction, TenantContext ctx) {
    return Future.succeededFuture();
  }

  /** The transaction that carried the record has committed; called by {@link TenantDb} only. */
  default void committed() {
  }
}
