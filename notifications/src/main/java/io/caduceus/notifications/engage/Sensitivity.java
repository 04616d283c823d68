package io.caduceus.notifications.engage;

import java.util.Locale;

/**
 * How revealing a template variable is. A tenant chooses which classes each channel may carry; {@link #CLINICAL}
 * never goes over push or SMS, whatever the tenant chooses, because lock screens and phone bills are not private.
 */
public enum Sensitivity {
  /** The tenant's name, a link into the app. */
  NONE,
  /** The recipient's own given name. */
  IDENTITY,
  /** When and with whom an appointment is. */
  SCHEDULE,
  /** A claim's status. */
  BILLING,
  /** Anything about results or conditions (counts of abnormal results for a physician). */
  CLINICAL;

  /** The name in the API and the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; unknown names fail with {@link IllegalArgumentException}. */
  public static Sensitivity fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
