package io.caduceus.api.audit;

import java.util.List;
import java.util.UUID;

/**
 * What one request did to PHI, to be recorded with who did it. {@code partnerTenant} names the other tenant of a
 * cross-tenant exchange.
 */
public record AuditEvent(String action, String resourceType, UUID resourceId, List<UUID> patientIds, Outcome outcome,
                         UUID partnerTenant) {

  /** How the attempt ended. */
  public enum Outcome {
    SUCCESS, DENIED, NOT_FOUND, FAILED;

    /** The lower-case name stored and shown. */
    public String wire() {
      return name().toLowerCase();
    }
  }

  /** A successful action on one resource of one patient. */
  public static AuditEvent of(String action, String resourceType, UUID resourceId, UUID patientId) {
    return new AuditEvent(action, resourceType, resourceId, patientId == null ? List.of() : List.of(patientId),
        Outcome.SUCCESS, null);
  }

  /** The same event with another outcome. */
  public AuditEvent withOutcome(Outcome other) {
    return new AuditEvent(action, resourceType, resourceId, patientIds, other, partnerTenant);
  }

  /** The same event, naming the other tenant of a cross-tenant exchange. */
  public AuditEvent withPartner(UUID tenant) {
    return new AuditEvent(action, resourceType, resourceId, patientIds, outcome, tenant);
  }

  /** The same event touching these patients. */
  public AuditEvent withPatients(List<UUID> patients) {
    return new AuditEvent(action, resourceType, resourceId, List.copyOf(patients), outcome, partnerTenant);
  }
}
