package io.caduceus.routing.catalog;

/** What kind of organisation a tenant is. */
public enum TenantKind {
  PLATFORM, CLINIC, HOSPITAL, PRACTICE, LAB, PHARMACY, INSURER;

  /** The lower-case name used in the contract and the catalog. */
  public String wire() {
    return name().toLowerCase();
  }

  /** Parses the lower-case wire name. */
  public static TenantKind fromWire(String wire) {
    return valueOf(wire.toUpperCase());
  }
}
