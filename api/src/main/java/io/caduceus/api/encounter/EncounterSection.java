package io.caduceus.api.encounter;

/** The kinds of entry an open encounter may have removed when recorded in error. */
enum EncounterSection {
  VITALS(EncounterSql.REMOVE_VITAL),
  DIAGNOSES(EncounterSql.REMOVE_DIAGNOSIS),
  PROCEDURES(EncounterSql.REMOVE_PROCEDURE);

  private final String removal;

  EncounterSection(String removal) {
    this.removal = removal;
  }

  /** The path segment naming the section. */
  String wire() {
    return name().toLowerCase();
  }

  /** Parses the path segment. */
  static EncounterSection fromWire(String wire) {
    return valueOf(wire.toUpperCase());
  }

  /** The statement removing one entry of this section. */
  String removal() {
    return removal;
  }
}
