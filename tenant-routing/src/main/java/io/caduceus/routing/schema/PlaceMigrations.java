package io.caduceus.routing.schema;

import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.Placement;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds, upgrades and removes the places of tenants outside the shared tables, with the one set of migrations
 * every regional database runs: a tenant schema is migrated with its own history tables, a tenant database like a
 * region's. Blocking (JDBC and Flyway): the node reaches it through {@link io.caduceus.routing.PlaceDoor}, which
 * calls it from a worker thread.
 *
 * <p>Creating a database needs a role that may create databases: the cluster's superuser when one is configured,
 * otherwise the owner role, which an operator may grant {@code CREATEDB}.
 */
public final class PlaceMigrations {

  /** A place could not be built or removed; the message names the step, never SQL or data. */
  public static final class PlaceFailure extends RuntimeException {
    PlaceFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final DatabaseRoles roles;
  private final Map<String, DatabaseEndpoint> regionOwner;
  private final DatabaseEndpoint superuser;
  private final List<MigrationSet> migrations;

  public PlaceMigrations(DatabaseRoles roles, Map<String, DatabaseEndpoint> regionOwner, DatabaseEndpoint superuser,
                         List<MigrationSet> migrations) {
    this.roles = Objects.requireNonNull(roles);
    this.regionOwner = Map.copyOf(regionOwner);
    this.superuser = superuser;
    this.migrations = List.copyOf(migrations);
  }

  /** The place's database, reached as the owner role. */
  public DatabaseEndpoint owner(Placement place) {
    DatabaseEndpoint region = regionOwner.get(place.region());
    if (region == null) {
      throw new IllegalStateException("region not served by this node: " + place.region());
    }
    return region.onDatabase(place.databaseName(region.database()));
  }

  /** Whether a tenant database can be created: a superuser is configured, or the owner role may create databases. */
  public boolean canCreateDatabases() {
    if (superuser != null) {
      return true;
    }
    DatabaseEndpoint owner = regionOwner.values().iterator().next();
    try (Connection c = DriverManager.getConnection(owner.jdbcUrl(), owner.user(), owner.password());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user")) {
      return rs.next() && rs.getBoolean(1);
    } catch (SQLException e) {
      return false;
    }
  }

  /** The migration fingerprint of the region's own database: where every tenant place should be. */
  public String regionFingerprint(String region) {
    return Migrations.fingerprint(owner(Placement.shared(region)), null, migrations, roles);
  }

  /**
   * Creates the place if it does not exist and applies every pending migration; returns the fingerprint it is at.
   * The shared tables are the region's and are migrated at start-up, so they are left alone.
   */
  public String prepare(Placement place) {
    switch (place.tier()) {
      case SHARED -> {
        return regionFingerprint(place.region());
      }
      case SCHEMA -> {
        DatabaseEndpoint owner = owner(place);
        String schema = SqlIdentifier.quoted(place.schema());
        run(owner, "create the tenant schema",
            "CREATE SCHEMA IF NOT EXISTS " + schema + " AUTHORIZATION " + SqlIdentifier.quoted(roles.owner()),
            "GRANT USAGE ON SCHEMA " + schema + " TO " + SqlIdentifier.quoted(roles.app()) + ", "
                + SqlIdentifier.quoted(roles.scanner()),
            // The due-work functions are handed to the scanner role, which must be able to create in the schema.
            "GRANT CREATE ON SCHEMA " + schema + " TO " + SqlIdentifier.quoted(roles.scanner()));
        try {
          Migrations.migrate(owner, place.schema(), migrations, roles);
        } catch (RuntimeException e) {
          throw new PlaceFailure("migrating the tenant schema failed", e);
        } finally {
          run(owner, "close the tenant schema",
              "REVOKE CREATE ON SCHEMA " + schema + " FROM " + SqlIdentifier.quoted(roles.scanner()));
        }
        return Migrations.fingerprint(owner, place.schema(), migrations, roles);
      }
      case DATABASE -> {
        try {
          ClusterBootstrap.ensureDatabase(superuser != null ? superuser : owner(Placement.shared(place.region())),
              roles, owner(place).database());
          Migrations.migrate(owner(place), null, migrations, roles);
        } catch (RuntimeException e) {
          throw new PlaceFailure("creating or migrating the tenant database failed", e);
        }
        return Migrations.fingerprint(owner(place), null, migrations, roles);
      }
      default -> throw new IllegalArgumentException("unknown tier");
    }
  }

  /**
   * Removes a tenant schema or database with everything in it. The shared tables cannot be dropped; a tenant's
   * rows there are deleted row by row instead.
   */
  public void drop(Placement place) {
    switch (place.tier()) {
      case SCHEMA -> run(owner(place), "drop the tenant schema",
          "DROP SCHEMA IF EXISTS " + SqlIdentifier.quoted(place.schema()) + " CASCADE");
      case DATABASE -> run(superuser != null ? superuser : owner(Placement.shared(place.region())),
          "drop the tenant database",
          "DROP DATABASE IF EXISTS " + SqlIdentifier.quoted(owner(place).database()) + " WITH (FORCE)");
      default -> throw new IllegalArgumentException("the shared tables are never dropped");
    }
  }

  private static void run(DatabaseEndpoint as, String step, String... statements) {
    try (Connection c = DriverManager.getConnection(as.jdbcUrl(), as.user(), as.password());
         Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new PlaceFailure(step + " failed (SQLSTATE " + e.getSQLState() + ")", e);
    }
  }
}
