package io.caduceus.api.access;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import static io.caduceus.api.access.Permission.*;

/**
 * What each {@link Permission} allows, as {@code GET /v1/permissions} shows it. A permission added to the enum
 * needs a line here: {@code PermissionCatalogueTest} fails while one has none. Its area is the first part of its key.
 */
public final class PermissionCatalogue {

  private static final Map<Permission, String> DESCRIPTIONS = new EnumMap<>(Permission.class);

  static {
    DESCRIPTIONS.put(PLATFORM_TENANTS_MANAGE, "Create, suspend and reactivate tenants (the platform owner's only).");
    DESCRIPTIONS.put(TENANT_READ, "Read the active tenant: its name, kind, locale, time zone and branding.");
    DESCRIPTIONS.put(TENANT_SETTINGS_WRITE, "Change the tenant's settings.");
    DESCRIPTIONS.put(TENANT_USERS_MANAGE, "Manage the tenant's members, their roles, the tenant's own roles and grants.");
    DESCRIPTIONS.put(TENANT_INVITE_PATIENTS, "Invite patients to the portal.");
    DESCRIPTIONS.put(TENANT_EXPORT, "Export all of the tenant's data.");
    DESCRIPTIONS.put(PRACTITIONER_READ, "Read the tenant's practitioners.");
    DESCRIPTIONS.put(PRACTITIONER_MANAGE, "Create and change practitioners.");
    DESCRIPTIONS.put(ORGANISATION_READ, "Read the tenant's facilities, departments and care teams.");
    DESCRIPTIONS.put(ORGANISATION_MANAGE, "Open, change and close facilities, departments and care teams (placing"
        + " staff in them is tenant.users.manage's: it widens what they see).");
    DESCRIPTIONS.put(ROOM_MANAGE, "Create, change and retire the rooms of the tenant's facilities.");
    DESCRIPTIONS.put(PATIENT_READ, "Find patients and read their demographics section.");
    DESCRIPTIONS.put(PATIENT_CONTACT_READ, "Read a patient's contact section (phone, email, address).");
    DESCRIPTIONS.put(PATIENT_INSURANCE_READ, "Read a patient's insurance section.");
    DESCRIPTIONS.put(PATIENT_IDENTIFIERS_READ, "Read a patient's national identifiers.");
    DESCRIPTIONS.put(PATIENT_CLINICAL_READ, "Read a patient's clinical section (allergies, conditions, notes).");
    DESCRIPTIONS.put(PATIENT_CREATE, "Register patients.");
    DESCRIPTIONS.put(PATIENT_DEMOGRAPHICS_WRITE, "Change a patient's demographics.");
    DESCRIPTIONS.put(PATIENT_CONTACT_WRITE, "Change a patient's contact details.");
    DESCRIPTIONS.put(PATIENT_INSURANCE_WRITE, "Change a patient's insurance details.");
    DESCRIPTIONS.put(PATIENT_IDENTIFIERS_WRITE, "Change a patient's national identifiers.");
    DESCRIPTIONS.put(PATIENT_CLINICAL_WRITE, "Change a patient's clinical section.");
    DESCRIPTIONS.put(PATIENT_DELETE, "Delete patient records.");
    DESCRIPTIONS.put(APPOINTMENT_READ, "Read appointments and schedules.");
    DESCRIPTIONS.put(APPOINTMENT_BOOK, "Book appointments.");
    DESCRIPTIONS.put(APPOINTMENT_RESCHEDULE, "Move appointments to another time.");
    DESCRIPTIONS.put(APPOINTMENT_ATTEND, "Check patients in and mark visits arrived or fulfilled.");
    DESCRIPTIONS.put(APPOINTMENT_CANCEL, "Cancel appointments.");
    DESCRIPTIONS.put(APPOINTMENT_DELETE, "Delete appointments.");
    DESCRIPTIONS.put(AUDIT_READ, "Read and verify the tenant's audit trail.");
    DESCRIPTIONS.put(PARTNERS_MANAGE, "Link and unlink partner tenants (labs, pharmacies, insurers).");
    DESCRIPTIONS.put(ENCOUNTER_READ, "Read encounters.");
    DESCRIPTIONS.put(ENCOUNTER_WRITE, "Document encounters.");
    DESCRIPTIONS.put(ENCOUNTER_SIGN, "Sign encounters.");
    DESCRIPTIONS.put(VITALS_WRITE, "Record vital signs.");
    DESCRIPTIONS.put(LAB_ORDER_PLACE, "Order lab tests.");
    DESCRIPTIONS.put(LAB_ORDER_READ, "Read lab orders and their results.");
    DESCRIPTIONS.put(LAB_WORK, "Work lab orders as the lab: accept, collect, report results.");
    DESCRIPTIONS.put(PRESCRIBE, "Write prescriptions.");
    DESCRIPTIONS.put(PRESCRIPTION_READ, "Read prescriptions.");
    DESCRIPTIONS.put(DISPENSE, "Dispense prescriptions as the pharmacy.");
    DESCRIPTIONS.put(INTERACTION_RULES_MANAGE, "Manage drug interaction rules.");
    DESCRIPTIONS.put(COVERAGE_MANAGE, "Record and change insurance coverage.");
    DESCRIPTIONS.put(ELIGIBILITY_CHECK, "Check a patient's insurance eligibility.");
    DESCRIPTIONS.put(FEES_MANAGE, "Manage the fee schedule.");
    DESCRIPTIONS.put(BILLING, "Create invoices and submit claims.");
    DESCRIPTIONS.put(CLAIM_READ, "Read claims.");
    DESCRIPTIONS.put(CLAIM_ADJUDICATE, "Adjudicate claims as the insurer.");
    DESCRIPTIONS.put(SECURE_MESSAGES, "Exchange secure messages with patients.");
    DESCRIPTIONS.put(ENGAGEMENT_MANAGE, "Manage reminders, campaigns, surveys and education.");
    DESCRIPTIONS.put(MESSAGES_READ, "Read the messages sent to patients and their delivery.");
    DESCRIPTIONS.put(NOTIFICATION_PREFERENCES_WRITE, "Change a patient's notification preferences.");
    DESCRIPTIONS.put(PATIENT_EMERGENCY_ACCESS,
        "Open a patient's chart in an emergency (break-glass), outside the scoped access policy, for a limited time.");
    DESCRIPTIONS.put(EMERGENCY_ACCESS_REVIEW, "Review break-glass uses: who, which patient, why, and what was read.");
    DESCRIPTIONS.put(PORTAL, "Use the patient portal as the patient (patients' only).");
  }

  private PermissionCatalogue() {
  }

  /** The permission's description, if the catalogue has one. */
  public static Optional<String> description(Permission permission) {
    return Optional.ofNullable(DESCRIPTIONS.get(permission));
  }

  /** The part of the product a permission belongs to: the first part of its key ({@code patient}, ...). */
  public static String area(Permission permission) {
    String key = permission.key();
    int dot = key.indexOf('.');
    return dot < 0 ? key : key.substring(0, dot);
  }

  /** Whether a tenant role or a grant may never hold the permission, whoever asks: the platform's, or patients'. */
  public static boolean reserved(String key) {
    return key.startsWith("platform.") || PORTAL.key().equals(key);
  }

  /** The permission of a key, if the catalogue has it. */
  public static Optional<Permission> of(String key) {
    for (Permission p : Permission.values()) {
      if (p.key().equals(key)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The whole catalogue, in the enum's order. */
  public static JsonObject json() {
    JsonArray items = new JsonArray();
    for (Permission p : Permission.values()) {
      items.add(new JsonObject().put("key", p.key()).put("area", area(p))
          .put("description", description(p).orElse(p.key())));
    }
    return new JsonObject().put("items", items);
  }
}
