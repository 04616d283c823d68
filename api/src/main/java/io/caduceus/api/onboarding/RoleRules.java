package io.caduceus.api.onboarding;

import io.caduceus.api.error.Invalid;
import io.caduceus.routing.catalog.TenantKind;

import java.util.List;
import java.util.UUID;

/**
 * Which roles a membership may hold: the platform tenant holds only platform owners and no other tenant holds
 * one; a patient account holds the patient role alone and is linked to a patient record.
 */
final class RoleRules {

  private RoleRules() {
  }

  static void check(TenantKind kind, List<String> roles, UUID patientId) {
    boolean platform = kind == TenantKind.PLATFORM;
    if (platform && !roles.equals(List.of("platform_owner"))) {
      throw new Invalid("/roles", "the platform tenant has only platform owners");
    }
    if (!platform && roles.contains("platform_owner")) {
      throw new Invalid("/roles", "platform_owner exists only in the platform tenant");
    }
    boolean patient = roles.contains("patient");
    if (patient && roles.size() > 1) {
      throw new Invalid("/roles", "a patient account holds the patient role alone");
    }
    if (patient != (patientId != null)) {
      throw new Invalid("/patientId", "a patient account needs patientId, and only a patient account has one");
    }
  }
}
