package io.caduceus.notifications.engage;

import java.util.Locale;

/** What a message is about, as a patient opts out of it and a tenant marks it critical. */
public enum Category {
  APPOINTMENTS, RESULTS, PRESCRIPTIONS, BILLING, MESSAGES, CARE_REMINDERS, CAMPAIGNS, SURVEYS, CLINICAL_ALERTS;

  /** The name in the API and the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; unknown names fail with {@link IllegalArgumentException}. */
  public static Category fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
