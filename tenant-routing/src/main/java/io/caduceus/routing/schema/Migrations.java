package io.caduceus.routing.schema;

import io.caduceus.routing.DatabaseEndpoint;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import java.util.List;

/** Runs Flyway as the owner role. Blocking: call it from a worker thread. */
public final class Migrations {

  private Migrations() {
  }

  /** Applies every pending migration of each set, in order; returns how many were applied. */
  public static int migrate(DatabaseEndpoint owner, List<MigrationSet> sets, DatabaseRoles roles) {
    int applied = 0;
    for (MigrationSet set : sets) {
      MigrateResult result = Flyway.configure()
          .dataSource(owner.jdbcUrl(), owner.user(), owner.password())
          .locations(set.location())
          .table(set.historyTable())
          .placeholders(roles.placeholders())
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .loggers("slf4j")
          .load()
          .migrate();
      applied += result.migrationsExecuted;
    }
    return applied;
  }
}
