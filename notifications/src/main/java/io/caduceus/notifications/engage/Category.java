package io.caduceus.notifications.engage;

import java.util.Locale;

/**
 * What a message is about, as a patient opts out of it and a tenant marks it critical. {@code ACCOUNT} (an
 * invitation to open the patient's account, asked for at the front desk) cannot be opted out of.
 */
public enum Category {
  APPOINTMENTS, RESULTS, PRESCRIPTIONS, BILLING, MESSAGES, CARE_REMINDERS, CAMPAIGNS, SURVEYS, CLINICAL_ALERTS, ACCOUNT;

  /** Whether a patient's opt-out of this category applies. */
  public boolean optional() {
    return this != ACCOUNT;
  }

  /** The name in the API and the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; unknown names fail with {@link IllegalArgumentException}. */
  public static Category fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
