package io.caduceus.routing.catalog;

/** Where a tenant is in its life: waiting for approval, serving, or refused. */
public enum TenantStatus {
  PENDING, ACTIVE, SUSPENDED, OFFBOARDED;

  /** The lower-case name used in the contract and the catalog. */
  public String wire() {
    return name().toLowerCase();
  }

  /** Parses the lower-case wire name. */
  public static TenantStatus fromWire(String wire) {
    return valueOf(wire.toUpperCase());
  }
}
