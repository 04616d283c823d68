package io.caduceus.api.audit;

import io.vertx.core.http.HttpMethod;

import java.util.UUID;

/** Opens the audit record of each request to a declared operation. */
public final class OperationAudits {

  private final AuditTrail trail;

  public OperationAudits(AuditTrail trail) {
    this.trail = trail;
  }

  /**
   * The record of one request: a GET or HEAD is a read, anything else a write; {@code resourceId} and {@code patient}
   * and {@code partner} are the path parameters the declaration names, if any.
   */
  public OperationAudit open(AuditDeclaration declared, HttpMethod method, UUID resourceId, UUID patient,
                             UUID partner) {
    boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
    OperationAudit audit = new OperationAudit(trail, declared, read, resourceId, patient);
    if (partner != null) {
      audit.partner(partner);
    }
    return audit;
  }
}
