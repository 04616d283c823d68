package io.caduceus.routing.schema;

import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.testing.TestInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A restart skips Flyway for a place whose migrations it last applied and validated with the same files, and runs
 * it in full, validation included, whenever the files or the place's history differ.
 */
class MigrationStampTest {

  private static final MigrationSet PROBE = new MigrationSet("classpath:db/probe", "probe_history");

  private final TestInfrastructure infra = TestInfrastructure.get();
  private DatabaseEndpoint owner;

  @BeforeEach
  void database() {
    owner = infra.freshDatabases(List.of("us"), List.of(PROBE)).get("us");
  }

  @Test
  void aRestartWithNothingPendingLeavesFlywayAndItsCallbackAlone() throws SQLException {
    // The beforeMigrate callback would create the function again if Flyway ran.
    sql("DROP FUNCTION secure_tenant_table(regclass, name)");

    assertThat(Migrations.migrate(owner, List.of(PROBE), infra.roles())).isZero();

    assertThat(sql("SELECT count(*) FROM pg_proc WHERE proname = 'secure_tenant_table'")).isEqualTo("0");
  }

  @Test
  void aChangedAppliedMigrationIsStillCaught() throws SQLException {
    sql("UPDATE probe_history SET checksum = checksum + 1 WHERE version = '1'");

    assertThatThrownBy(() -> Migrations.migrate(owner, List.of(PROBE), infra.roles()))
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void aPlaceWithoutTheStampIsMigratedByFlywayAndStampedAgain() throws SQLException {
    sql("DROP FUNCTION secure_tenant_table(regclass, name)");
    sql("COMMENT ON TABLE probe_history IS NULL");

    Migrations.migrate(owner, List.of(PROBE), infra.roles());

    assertThat(sql("SELECT count(*) FROM pg_proc WHERE proname = 'secure_tenant_table'")).isEqualTo("1");
    assertThat(sql("SELECT obj_description('probe_history'::regclass, 'pg_class')"))
        .startsWith("caduceus: migrated and validated by Flyway: ");
  }

  @Test
  void aFailedMigrationRecordedInTheHistoryMakesFlywayRunAgain() throws SQLException {
    sql("UPDATE probe_history SET success = false WHERE version = '1'");

    assertThatThrownBy(() -> Migrations.migrate(owner, List.of(PROBE), infra.roles()))
        .hasMessageContaining("failed");
  }

  @Test
  void aScriptAddedSinceTheStampIsApplied() throws Exception {
    Path dir = Files.createTempDirectory("stamp-probe");
    MigrationSet onDisk = new MigrationSet("filesystem:" + dir, "disk_history", false);
    Files.writeString(dir.resolve("V1__one.sql"), "CREATE TABLE disk_one (id int);");
    assertThat(Migrations.migrate(owner, List.of(onDisk), infra.roles())).isEqualTo(1);

    Files.writeString(dir.resolve("V2__two.sql"), "CREATE TABLE disk_two (id int);");

    assertThat(Migrations.migrate(owner, List.of(onDisk), infra.roles())).isEqualTo(1);
    assertThat(sql("SELECT count(*) FROM pg_class WHERE relname = 'disk_two'")).isEqualTo("1");
  }

  /** Runs one statement as the owner; returns the first column of its first row, if it has one. */
  private String sql(String statement) throws SQLException {
    try (Connection c = DriverManager.getConnection(owner.jdbcUrl(), owner.user(), owner.password());
         Statement s = c.createStatement()) {
      if (!s.execute(statement)) {
        return null;
      }
      try (ResultSet rows = s.getResultSet()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }
}
