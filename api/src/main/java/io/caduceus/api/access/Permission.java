package io.caduceus.api.access;

/**
 * What an actor may do within its active tenant. Services check these; field projection reads the
 * {@code PATIENT_*_READ} ones section by section.
 */
public enum Permission {
  PLATFORM_TENANTS_MANAGE,
  TENANT_READ,
  TENANT_SETTINGS_WRITE,
  TENANT_USERS_MANAGE,
  TENANT_INVITE_PATIENTS,
  TENANT_EXPORT,
  PRACTITIONER_READ,
  PRACTITIONER_MANAGE,
  /** Read the tenant's facilities, departments and care teams. */
  ORGANISATION_READ,
  /** Open, change and close facilities, departments and care teams. */
  ORGANISATION_MANAGE,
  /** Create, change and retire the rooms of the tenant's facilities. */
  ROOM_MANAGE,
  PATIENT_READ,
  PATIENT_CONTACT_READ,
  PATIENT_INSURANCE_READ,
  PATIENT_IDENTIFIERS_READ,
  PATIENT_CLINICAL_READ,
  PATIENT_CREATE,
  PATIENT_DEMOGRAPHICS_WRITE,
  PATIENT_CONTACT_WRITE,
  PATIENT_INSURANCE_WRITE,
  PATIENT_IDENTIFIERS_WRITE,
  PATIENT_CLINICAL_WRITE,
  PATIENT_DELETE,
  APPOINTMENT_READ,
  APPOINTMENT_BOOK,
  APPOINTMENT_RESCHEDULE,
  APPOINTMENT_ATTEND,
  APPOINTMENT_CANCEL,
  APPOINTMENT_DELETE,
  AUDIT_READ,
  PARTNERS_MANAGE,
  ENCOUNTER_READ,
  ENCOUNTER_WRITE,
  ENCOUNTER_SIGN,
  VITALS_WRITE,
  LAB_ORDER_PLACE,
  LAB_ORDER_READ,
  LAB_WORK,
  PRESCRIBE,
  PRESCRIPTION_READ,
  DISPENSE,
  INTERACTION_RULES_MANAGE,
  COVERAGE_MANAGE,
  ELIGIBILITY_CHECK,
  FEES_MANAGE,
  BILLING,
  CLAIM_READ,
  CLAIM_ADJUDICATE,
  SECURE_MESSAGES,
  ENGAGEMENT_MANAGE,
  MESSAGES_READ,
  NOTIFICATION_PREFERENCES_WRITE,
  /** Open a patient's chart in an emergency, outside the scoped access policy, for the tenant's break-glass window. */
  PATIENT_EMERGENCY_ACCESS,
  /** Read the break-glass report: every emergency access, its reason and what was read under it. */
  EMERGENCY_ACCESS_REVIEW,
  PORTAL;

  private final String key = name().toLowerCase().replace('_', '.');

  /** The dotted lower-case name carried in contexts and shown by {@code GET /v1/auth/me}. */
  public String key() {
    return key;
  }
}
