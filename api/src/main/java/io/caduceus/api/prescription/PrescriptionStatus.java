package io.caduceus.api.prescription;

/**
 * Where a prescription is. The clinic's copy starts {@code sent}; the pharmacy's copy starts {@code received} (and
 * tells the clinic so). Each fill makes it {@code dispensed}, and the last allowed fill (the first plus the refills)
 * makes it {@code completed}; the clinic's copy follows. The prescriber can {@code cancel} it until it is completed,
 * which stops the remaining fills.
 */
public enum PrescriptionStatus {
  SENT, RECEIVED, DISPENSED, COMPLETED, CANCELLED;

  /** The lower-case name used in the contract and the database. */
  public String wire() {
    return name().toLowerCase();
  }

  /** Parses the wire name. */
  public static PrescriptionStatus fromWire(String wire) {
    return valueOf(wire.toUpperCase());
  }

  /** Whether the pharmacy may fill it now. */
  public boolean fillable() {
    return this == RECEIVED || this == DISPENSED;
  }

  /** Whether it is finished, one way or the other. */
  public boolean closed() {
    return this == COMPLETED || this == CANCELLED;
  }
}
