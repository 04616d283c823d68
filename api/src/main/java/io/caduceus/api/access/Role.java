package io.caduceus.api.access;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.caduceus.api.access.Permission.*;

/**
 * The roles of the seeds, each with its permission set. The sets follow "minimum necessary": a tenant admin
 * runs the organisation but sees no clinical data; a receptionist sees demographics, contact, insurance and
 * identifiers but no clinical data; clinicians see clinical data but not national identifiers.
 */
public enum Role {
  PLATFORM_OWNER(EnumSet.of(PLATFORM_TENANTS_MANAGE, TENANT_READ)),
  TENANT_ADMIN(EnumSet.of(TENANT_READ, TENANT_SETTINGS_WRITE, TENANT_USERS_MANAGE, TENANT_INVITE_PATIENTS,
      PRACTITIONER_READ, PRACTITIONER_MANAGE, PATIENT_READ, PATIENT_CONTACT_READ, PATIENT_INSURANCE_READ,
      PATIENT_IDENTIFIERS_READ, PATIENT_CREATE, PATIENT_DEMOGRAPHICS_WRITE, PATIENT_CONTACT_WRITE,
      PATIENT_INSURANCE_WRITE, PATIENT_IDENTIFIERS_WRITE, PATIENT_DELETE, APPOINTMENT_READ, APPOINTMENT_DELETE,
      AUDIT_READ, PARTNERS_MANAGE, FEES_MANAGE, INTERACTION_RULES_MANAGE, COVERAGE_MANAGE, ENGAGEMENT_MANAGE,
      MESSAGES_READ, NOTIFICATION_PREFERENCES_WRITE, SECURE_MESSAGES, TENANT_EXPORT,
      EMERGENCY_ACCESS_REVIEW)),
  CRM_MANAGER(EnumSet.of(TENANT_READ, PRACTITIONER_READ, PATIENT_READ, PATIENT_CONTACT_READ, ENGAGEMENT_MANAGE,
      MESSAGES_READ, NOTIFICATION_PREFERENCES_WRITE)),
  PHYSICIAN(EnumSet.of(TENANT_READ, PRACTITIONER_READ, PATIENT_READ, PATIENT_CONTACT_READ, PATIENT_INSURANCE_READ,
      PATIENT_CLINICAL_READ, PATIENT_CREATE, PATIENT_DEMOGRAPHICS_WRITE, PATIENT_CONTACT_WRITE,
      PATIENT_CLINICAL_WRITE, APPOINTMENT_READ, APPOINTMENT_BOOK, APPOINTMENT_RESCHEDULE, APPOINTMENT_ATTEND,
      APPOINTMENT_CANCEL, ENCOUNTER_READ, ENCOUNTER_WRITE, ENCOUNTER_SIGN, VITALS_WRITE, LAB_ORDER_PLACE, LAB_ORDER_READ,
      PRESCRIBE, PRESCRIPTION_READ, SECURE_MESSAGES,
      PATIENT_EMERGENCY_ACCESS)),
  NURSE(EnumSet.of(TENANT_READ, PRACTITIONER_READ, PATIENT_READ, PATIENT_CONTACT_READ, PATIENT_CLINICAL_READ,
      PATIENT_CLINICAL_WRITE, APPOINTMENT_READ, APPOINTMENT_ATTEND, ENCOUNTER_READ, VITALS_WRITE, LAB_ORDER_READ, PRESCRIPTION_READ,
      SECURE_MESSAGES,
      PATIENT_EMERGENCY_ACCESS)),
  PHARMACIST(EnumSet.of(TENANT_READ, PRACTITIONER_READ, PATIENT_READ, PATIENT_CONTACT_READ, PATIENT_INSURANCE_READ,
      PATIENT_CLINICAL_READ, PATIENT_CREATE, PATIENT_DEMOGRAPHICS_WRITE, PATIENT_CONTACT_WRITE, PRESCRIPTION_READ, DISPENSE, INTERACTION_RULES_MANAGE)),
  LAB_TECHNICIAN(EnumSet.of(TENANT_READ, PRACTITIONER_READ, PATIENT_READ, PATIENT_CONTACT_READ, PATIENT_CREATE,
      PATIENT_DEMOGRAPHICS_WRITE, LAB_ORDER_READ, LAB_WORK)),
  ACCOUNTANT(EnumSet.of(TENANT_READ, PRACTITIONER_READ, PATIENT_READ, PATIENT_CONTACT_READ, PATIENT_INSURANCE_READ,
      PATIENT_IDENTIFIERS_READ, APPOINTMENT_READ, ENCOUNTER_READ, FEES_MANAGE, BILLING, CLAIM_READ)),
  RECEPTIONIST(EnumSet.of(TENANT_READ, TENANT_INVITE_PATIENTS, PRACTITIONER_READ, PATIENT_READ, PATIENT_CONTACT_READ,
      PATIENT_INSURANCE_READ, PATIENT_IDENTIFIERS_READ, PATIENT_CREATE, PATIENT_DEMOGRAPHICS_WRITE,
      PATIENT_CONTACT_WRITE, PATIENT_INSURANCE_WRITE, PATIENT_IDENTIFIERS_WRITE, APPOINTMENT_READ, APPOINTMENT_BOOK,
      APPOINTMENT_RESCHEDULE, APPOINTMENT_ATTEND, APPOINTMENT_CANCEL, APPOINTMENT_DELETE, ENCOUNTER_READ,
      ELIGIBILITY_CHECK, NOTIFICATION_PREFERENCES_WRITE, SECURE_MESSAGES)),
  INSURANCE_MANAGER(EnumSet.of(TENANT_READ, PATIENT_READ, PATIENT_CONTACT_READ, PATIENT_INSURANCE_READ,
      PATIENT_IDENTIFIERS_READ, PATIENT_CREATE, PATIENT_DEMOGRAPHICS_WRITE, PATIENT_CONTACT_WRITE,
      PATIENT_INSURANCE_WRITE, PATIENT_IDENTIFIERS_WRITE, COVERAGE_MANAGE, CLAIM_READ, CLAIM_ADJUDICATE)),
  /**
   * Reviews the tenant's break-glass uses and is alerted when one opens (issue 15): reads the tenant and the audit
   * trail, never a chart.
   */
  PRIVACY_OFFICER(EnumSet.of(TENANT_READ, AUDIT_READ, EMERGENCY_ACCESS_REVIEW)),
  PATIENT(EnumSet.of(TENANT_READ, PRACTITIONER_READ, PATIENT_READ, PATIENT_CONTACT_READ, PATIENT_INSURANCE_READ,
      PATIENT_CLINICAL_READ, PATIENT_CONTACT_WRITE, APPOINTMENT_READ, APPOINTMENT_BOOK, APPOINTMENT_CANCEL, ENCOUNTER_READ,
      LAB_ORDER_READ, PRESCRIPTION_READ, PORTAL));

  private final Set<Permission> permissions;

  Role(EnumSet<Permission> permissions) {
    this.permissions = Set.copyOf(permissions);
  }

  /** The lower-case name used in tokens, the catalog and the contract. */
  public String wire() {
    return name().toLowerCase();
  }

  /** Parses a wire name; unknown names fail with {@link IllegalArgumentException}. */
  public static Role fromWire(String wire) {
    return valueOf(wire.toUpperCase());
  }

  /** This role's permissions. */
  public Set<Permission> permissions() {
    return permissions;
  }

  /**
   * The union of the permissions of the given wire role names, as dotted keys; unknown names grant nothing. Every
   * request asks this for its token's roles, and there are few distinct role sets, so each is computed once.
   */
  public static Set<String> permissionKeys(Collection<String> wireRoles) {
    return KEYS.computeIfAbsent(Set.copyOf(wireRoles), Role::union);
  }

  private static final Map<Set<String>, Set<String>> KEYS = new ConcurrentHashMap<>();

  private static Set<String> union(Set<String> wireRoles) {
    Set<String> keys = new HashSet<>();
    for (Role role : values()) {
      if (wireRoles.contains(role.wire())) {
        role.permissions.forEach(p -> keys.add(p.key()));
      }
    }
    return Set.copyOf(keys);
  }
}
