package io.caduceus.routing.schema;

/**
 * One module's migrations for one database: a classpath location and the history table that tracks it. A regional
 * set builds tenant tables, so its migrations get the tenant-table functions ({@code db/tenant-tables}) first.
 */
public record MigrationSet(String location, String historyTable, boolean regional) {

  /** The control plane's schema. */
  public static final MigrationSet CONTROL_PLANE = new MigrationSet("classpath:db/global", "schema_history", false);

  /**
   * Where the functions that set up row-level security and the scanner role's grants on a tenant table live: a
   * Flyway callback that (re)creates them before every regional set migrates.
   */
  private static final String TENANT_TABLES = "classpath:db/tenant-tables";

  /** A regional set: the migrations of a region's databases, tenant schemas and tenant databases. */
  public MigrationSet(String location, String historyTable) {
    this(location, historyTable, true);
  }

  /** The Flyway locations the set migrates from. */
  String[] locations() {
    return regional ? new String[] {location, TENANT_TABLES} : new String[] {location};
  }
}
