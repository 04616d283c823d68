package io.caduceus.routing;

/** How strongly a tenant's rows are separated from other tenants' rows in its region. */
public enum IsolationTier {
  /** Rows in shared tables, separated by row-level security. */
  SHARED,
  /** A schema of its own, plus row-level security. */
  SCHEMA,
  /** A database of its own, plus row-level security. */
  DATABASE;

  /** The lower-case name used in the contract and the catalog. */
  public String wire() {
    return name().toLowerCase();
  }

  /** Parses the lower-case wire name. */
  public static IsolationTier fromWire(String wire) {
    return valueOf(wire.toUpperCase());
  }
}
