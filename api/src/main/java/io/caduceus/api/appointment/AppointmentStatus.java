package io.caduceus.api.appointment;

import io.caduceus.api.access.Permission;

import java.util.Set;

/**
 * The appointment state machine: booked → checked_in → fulfilled; booked → cancelled | no_show;
 * checked_in → cancelled. Fulfilled, cancelled and no-show are final.
 */
public enum AppointmentStatus {
  BOOKED, CHECKED_IN, FULFILLED, CANCELLED, NO_SHOW;

  /** The lower-case name used in the contract and the database. */
  public String wire() {
    return name().toLowerCase();
  }

  /** Parses the wire name. */
  public static AppointmentStatus fromWire(String wire) {
    return valueOf(wire.toUpperCase());
  }

  /** Whether the machine allows this step. */
  public boolean canMoveTo(AppointmentStatus next) {
    return switch (this) {
      case BOOKED -> Set.of(CHECKED_IN, CANCELLED, NO_SHOW).contains(next);
      case CHECKED_IN -> Set.of(FULFILLED, CANCELLED).contains(next);
      default -> false;
    };
  }

  /** The permission needed to move an appointment into this state. */
  public Permission permissionToEnter() {
    return this == CANCELLED ? Permission.APPOINTMENT_CANCEL : Permission.APPOINTMENT_ATTEND;
  }
}
