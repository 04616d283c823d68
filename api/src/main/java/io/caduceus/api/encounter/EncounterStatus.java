package io.caduceus.api.encounter;

/** Open while the visit is documented; signed once the physician attests it, after which only addenda follow. */
public enum EncounterStatus {
  OPEN, SIGNED;

  /** The lower-case name used in the contract and the database. */
  public String wire() {
    return name().toLowerCase();
  }

  /** Parses the wire name. */
  public static EncounterStatus fromWire(String wire) {
    return valueOf(wire.toUpperCase());
  }
}
