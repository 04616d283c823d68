package io.caduceus.api.boot;

import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.schema.DatabaseRoles;
import io.caduceus.routing.schema.Migrations;
import io.caduceus.routing.testing.TestInfrastructure;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * V12 on data written under the old rules, in a tenant schema (the strictest place: every name must be qualified):
 * international-format phone numbers become E.164, and a fulfilled visit that already overlaps an active booking
 * is kept and marked rather than breaking the new exclusion constraint.
 */
class RegionMigrationV12Test {

  private static final UUID TENANT = UUID.randomUUID();
  private static final UUID ACTOR = UUID.randomUUID();

  private final DatabaseEndpoint owner = TestPlatform.get().owner("us");
  private final DatabaseRoles roles = TestInfrastructure.get().roles();
  private final String schema = "v12_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @BeforeEach
  void aTenantSchemaMigratedUpToV12() throws SQLException {
    exec("CREATE SCHEMA " + schema + " AUTHORIZATION " + roles.owner(),
        "GRANT USAGE ON SCHEMA " + schema + " TO " + roles.app() + ", " + roles.scanner(),
        "GRANT CREATE ON SCHEMA " + schema + " TO " + roles.scanner());
    FluentConfiguration config = Flyway.configure().dataSource(owner.jdbcUrl(), owner.user(), owner.password())
        .locations(Infrastructure.REGION_MIGRATIONS.get(0).location())
        .table(Infrastructure.REGION_MIGRATIONS.get(0).historyTable())
        .placeholders(roles.placeholders()).baselineOnMigrate(true).baselineVersion("0")
        .schemas(schema).defaultSchema(schema).createSchemas(false).loggers("slf4j");
    MigrationVersion v12 = MigrationVersion.fromVersion("12");
    MigrationVersion before = Arrays.stream(config.load().info().all()).map(MigrationInfo::getVersion)
        .filter(v -> v.compareTo(v12) < 0).max(MigrationVersion::compareTo).orElseThrow();
    config.target(before).load().migrate();
  }

  @AfterEach
  void dropIt() throws SQLException {
    exec("DROP SCHEMA " + schema + " CASCADE");
  }

  @Test
  void legacyPhonesBecomeE164AndOverlappingFulfilledVisitsAreKeptAndMarked() throws SQLException {
    UUID doctor = UUID.randomUUID();
    UUID patient = UUID.randomUUID();
    UUID fulfilled = UUID.randomUUID();
    UUID bookedOver = UUID.randomUUID();
    asTenant("INSERT INTO patient (tenant_id, id, mrn, family_name, contact, created_by, updated_by) VALUES"
            + " ('" + TENANT + "', '" + patient + "', 'M-1', 'Legacy', '{\"phone\":\"+1 555 0107\"}', '" + ACTOR
            + "', '" + ACTOR + "'),"
            + " ('" + TENANT + "', gen_random_uuid(), 'M-2', 'Abroad', '{\"phone\":\"+44 (0)20 7946 0000\"}', '" + ACTOR
            + "', '" + ACTOR + "'),"
            + " ('" + TENANT + "', gen_random_uuid(), 'M-3', 'National', '{\"phone\":\"(202) 555-0107\"}', '" + ACTOR
            + "', '" + ACTOR + "')",
        "INSERT INTO practitioner (tenant_id, id, family_name, phone) VALUES ('" + TENANT + "', '" + doctor
            + "', 'Doctor', '+1 (555) 010-8')",
        appointment(fulfilled, patient, doctor, "10:00", "fulfilled"),
        appointment(bookedOver, patient, doctor, "10:15", "booked"));

    Migrations.migrate(owner, schema, Infrastructure.REGION_MIGRATIONS, roles);

    Map<String, String> phones = column("SELECT mrn, contact->>'phone' FROM patient");
    assertThat(phones).containsEntry("M-1", "+15550107").containsEntry("M-2", "+442079460000")
        .containsEntry("M-3", "(202) 555-0107");
    assertThat(column("SELECT family_name, phone FROM practitioner")).containsEntry("Doctor", "+15550108");
    assertThat(column("SELECT id::text, coalesce(overlap_allowed::text, 'null') FROM appointment"))
        .containsEntry(fulfilled.toString(), "true").containsEntry(bookedOver.toString(), "null");
    assertThat(column("SELECT relname, relforcerowsecurity::text FROM pg_class WHERE relnamespace = '" + schema
        + "'::regnamespace AND relname IN ('patient', 'practitioner', 'appointment')"))
        .containsOnlyKeys("patient", "practitioner", "appointment").doesNotContainValue("false");

    asTenant(appointment(UUID.randomUUID(), patient, doctor, "12:00", "fulfilled"));
    assertThatThrownBy(() -> asTenant(appointment(UUID.randomUUID(), patient, doctor, "12:15", "booked")))
        .hasMessageContaining("appointment_no_double_booking");
    asTenant(appointment(UUID.randomUUID(), patient, doctor, "12:30", "booked"));
  }

  private static String appointment(UUID id, UUID patient, UUID doctor, String at, String status) {
    return "INSERT INTO appointment (tenant_id, id, patient_id, practitioner_id, starts_at, ends_at, status,"
        + " created_by, updated_by) VALUES ('" + TENANT + "', '" + id + "', '" + patient + "', '" + doctor
        + "', '2026-03-02 " + at + "+00', '2026-03-02 " + at + "+00'::timestamptz + interval '30 minutes', '"
        + status + "', '" + ACTOR + "', '" + ACTOR + "')";
  }

  private void asTenant(String... statements) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("SET search_path = " + schema + ", public");
      s.execute("SELECT set_config('app.tenant_id', '" + TENANT + "', false)");
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private Map<String, String> column(String sql) throws SQLException {
    Map<String, String> out = new HashMap<>();
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("SET search_path = " + schema + ", public");
      s.execute("SELECT set_config('app.tenant_id', '" + TENANT + "', false)");
      try (ResultSet rows = s.executeQuery(sql)) {
        while (rows.next()) {
          out.put(rows.getString(1), rows.getString(2));
        }
      }
    }
    return out;
  }

  private void exec(String... statements) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(owner.jdbcUrl(), owner.user(), owner.password());
  }
}
