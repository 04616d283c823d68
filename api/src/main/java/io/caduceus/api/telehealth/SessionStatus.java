package io.caduceus.api.telehealth;

import java.util.Locale;

/**
 * The states of a virtual visit's session: scheduled → waiting (the patient checked in) → in_progress (a clinician
 * admitted them) → ended; scheduled or waiting → no_show | cancelled. Ended, no-show and cancelled are final.
 */
public enum SessionStatus {
  SCHEDULED, WAITING, IN_PROGRESS, ENDED, NO_SHOW, CANCELLED;

  /** The lower-case name used in the contract and the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the wire name. */
  public static SessionStatus fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }

  /** Whether the session is over: nothing moves it any more. */
  public boolean isFinal() {
    return this == ENDED || this == NO_SHOW || this == CANCELLED;
  }
}
