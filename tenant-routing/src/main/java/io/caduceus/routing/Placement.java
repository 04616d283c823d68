package io.caduceus.routing;

import java.util.Objects;

/**
 * Where one tenant's rows live in its region: the region's shared tables, a schema of its own in the region's
 * database, or a database of its own on the region's server. Derived from the tenant's id, region and tier, so
 * every node computes the same place without asking anyone.
 *
 * <p>{@code database} is null for the region's own database, or else the tenant database's suffix: its name is the
 * region database's name followed by it ({@link #databaseName}), so deployments sharing a server never collide.
 * {@code schema} is where the tables are.
 */
public record Placement(String region, IsolationTier tier, String database, String schema) {

  /** The schema of the shared tier. */
  public static final String SHARED_SCHEMA = "public";

  public Placement {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(schema, "schema");
  }

  /** The region's shared tables. */
  public static Placement shared(String region) {
    return new Placement(region, IsolationTier.SHARED, null, SHARED_SCHEMA);
  }

  /** The place of a tenant of {@code region} in {@code tier}. */
  public static Placement of(TenantId tenant, String region, IsolationTier tier) {
    return switch (tier) {
      case SHARED -> shared(region);
      case SCHEMA -> new Placement(region, tier, null, "t_" + hex(tenant));
      case DATABASE -> new Placement(region, tier, "t_" + hex(tenant), SHARED_SCHEMA);
    };
  }

  /** The tenant database's name, given the name of its region's database; the region's own name otherwise. */
  public String databaseName(String regionDatabase) {
    return database == null ? regionDatabase : regionDatabase + "_" + database;
  }

  /** Whether the tables are in the region's own database (shared and schema tiers). */
  public boolean inRegionDatabase() {
    return database == null;
  }

  /**
   * The search path a transaction in this place runs with. A tenant schema comes first; {@code public} stays
   * after it because the extensions (trigram and btree operator classes) live there.
   */
  public String searchPath() {
    return SHARED_SCHEMA.equals(schema) ? SHARED_SCHEMA : schema + ", " + SHARED_SCHEMA;
  }

  private static String hex(TenantId tenant) {
    return tenant.value().toString().replace("-", "");
  }

  @Override
  public String toString() {
    return region + "/" + tier.wire() + (database == null ? "" : "/" + database) + "/" + schema;
  }
}
