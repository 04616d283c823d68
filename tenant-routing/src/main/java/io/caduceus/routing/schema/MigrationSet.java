package io.caduceus.routing.schema;

/** One module's migrations for one database: a classpath location and the history table that tracks it. */
public record MigrationSet(String location, String historyTable) {

  /** The control plane's schema. */
  public static final MigrationSet CONTROL_PLANE = new MigrationSet("classpath:db/global", "schema_history");
}
