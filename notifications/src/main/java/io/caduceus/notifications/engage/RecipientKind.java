package io.caduceus.notifications.engage;

import java.util.Locale;

/** Whether a message goes to a patient or to a member of the tenant's staff. */
public enum RecipientKind {
  PATIENT, STAFF;

  /** The name in the API and the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name. */
  public static RecipientKind fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
