package io.caduceus.routing.schema;

import io.caduceus.routing.DatabaseEndpoint;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Runs Flyway as the owner role. Blocking: call it from a worker thread. */
public final class Migrations {

  private Migrations() {
  }

  /**
   * Applies every pending migration of each set, in order; returns how many were applied. A set whose place holds
   * a current {@link MigrationStamp} is already up to date and validated, and is left to itself.
   */
  public static int migrate(DatabaseEndpoint owner, List<MigrationSet> sets, DatabaseRoles roles) {
    return migrate(owner, null, sets, roles);
  }

  /**
   * Applies every pending migration of each set to one schema of the database ({@code public} when null), with
   * that schema's own history tables; returns how many were applied.
   */
  public static int migrate(DatabaseEndpoint owner, String schema, List<MigrationSet> sets, DatabaseRoles roles) {
    // Nodes starting together on a fresh database would race to create Flyway's history table (its own lock comes
    // after that), and tenant-schema migrations also grant and revoke on public, so one session-level advisory lock
    // per database lets one migration run there at a time.
    try (Connection lock = DriverManager.getConnection(owner.jdbcUrl(), owner.user(), owner.password());
         PreparedStatement take = lock.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 11))")) {
      take.setString(1, "caduceus-migrations");
      take.execute();
      int applied = 0;
      for (MigrationSet set : sets) {
        // A restart usually finds nothing to do: a current stamp proves it without Flyway (see MigrationStamp).
        MigrationStamp stamp = MigrationStamp.of(lock, schema, set, roles);
        if (!stamp.current(lock)) {
          applied += configure(owner, schema, set, roles).load().migrate().migrationsExecuted;
          stamp.write(lock);
        }
      }
      return applied;
    } catch (SQLException e) {
      throw new IllegalStateException("could not take the migration lock or read the migration stamps: "
          + e.getSQLState(), e);
    }
  }

  /**
   * Where each set stands in the database: its history table and latest applied version, joined into one string.
   * A tenant schema or database whose fingerprint equals its region database's is up to date.
   */
  public static String fingerprint(DatabaseEndpoint owner, String schema, List<MigrationSet> sets,
                                   DatabaseRoles roles) {
    StringBuilder out = new StringBuilder();
    for (MigrationSet set : sets) {
      MigrationInfo current = configure(owner, schema, set, roles).load().info().current();
      out.append(out.isEmpty() ? "" : ",").append(set.historyTable()).append('=')
          .append(current == null ? "none" : current.getVersion().getVersion());
    }
    return out.toString();
  }

  private static FluentConfiguration configure(DatabaseEndpoint owner, String schema, MigrationSet set,
                                               DatabaseRoles roles) {
    FluentConfiguration config = Flyway.configure()
        .dataSource(owner.jdbcUrl(), owner.user(), owner.password())
        .locations(set.locations())
        .table(set.historyTable())
        .placeholders(roles.placeholders())
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .loggers("slf4j");
    return schema == null ? config : config.schemas(schema).defaultSchema(schema).createSchemas(false);
  }
}
