package io.caduceus.api.smart;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Map.entry;

/**
 * Which of the existing permission keys a SMART scope allows, per FHIR type: reading a type allows what its
 * {@code /v1} reads check (and the patient sections its projection reads), writing what its writes check. A key no
 * scope allows is withheld from the token's context whatever its roles grant.
 */
public final class FhirScopePermissions {

  private record Access(List<String> read, List<String> write) {
  }

  private static final Map<String, Access> TYPES = Map.ofEntries(
      entry("Patient", new Access(
          List.of("patient.read", "patient.contact.read", "patient.insurance.read", "patient.identifiers.read"),
          List.of("patient.create", "patient.demographics.write", "patient.contact.write", "patient.insurance.write",
              "patient.identifiers.write"))),
      entry("Practitioner", new Access(List.of("practitioner.read"), List.of("practitioner.manage"))),
      entry("Organization", new Access(List.of("tenant.read"), List.of("tenant.settings.write"))),
      entry("Appointment", new Access(List.of("appointment.read"),
          List.of("appointment.book", "appointment.reschedule", "appointment.attend", "appointment.cancel"))),
      entry("Encounter", new Access(List.of("encounter.read"), List.of("encounter.write"))),
      entry("Observation", clinical()),
      entry("Condition", clinical()),
      entry("Procedure", clinical()),
      entry("AllergyIntolerance", clinical()),
      entry("DiagnosticReport", new Access(List.of("lab.order.read"), List.of("lab.work"))),
      entry("ServiceRequest", new Access(List.of("lab.order.read"), List.of("lab.order.place"))),
      entry("MedicationRequest", new Access(List.of("prescription.read"), List.of("prescribe"))),
      entry("MedicationDispense", new Access(List.of("prescription.read"), List.of("dispense"))),
      entry("Coverage", new Access(List.of("patient.insurance.read"), List.of("coverage.manage"))),
      entry("Claim", new Access(List.of("claim.read"), List.of("billing"))),
      entry("ClaimResponse", new Access(List.of("claim.read"), List.of("claim.adjudicate"))),
      entry("AuditEvent", new Access(List.of("audit.read"), List.of())));

  private FhirScopePermissions() {
  }

  private static Access clinical() {
    return new Access(List.of("patient.clinical.read"), List.of("patient.clinical.write", "vitals.write"));
  }

  /** The FHIR types a scope may name. */
  public static Set<String> types() {
    return TYPES.keySet();
  }

  /** The permission keys the scopes allow (before the roles' own limit). */
  public static Set<String> allowed(List<SmartScope> scopes) {
    Set<String> keys = new HashSet<>();
    for (SmartScope scope : scopes) {
      TYPES.forEach((type, access) -> {
        if ("*".equals(scope.type()) || scope.type().equals(type)) {
          if (scope.read()) {
            keys.addAll(access.read());
          }
          if (scope.write()) {
            keys.addAll(access.write());
          }
        }
      });
    }
    return keys;
  }
}
