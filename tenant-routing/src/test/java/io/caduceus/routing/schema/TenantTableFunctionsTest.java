package io.caduceus.routing.schema;

import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.testing.TestInfrastructure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The functions every regional migration set gets before it runs secure a tenant table and hand due-work functions to
 * the scanner role, in the shared tables and in a tenant schema alike; the probe migration uses them as any would.
 */
class TenantTableFunctionsTest {

  private static final MigrationSet PROBE = new MigrationSet("classpath:db/probe", "probe_history");

  private static DatabaseEndpoint owner;
  private final TestInfrastructure infra = TestInfrastructure.get();

  @BeforeAll
  static void database() {
    owner = TestInfrastructure.get().freshDatabases(List.of("us"), List.of(PROBE)).get("us");
  }

  @Test
  void aSecuredTableHasForcedRowSecurityAndTheTenantPolicyAndThePatientPolicyWhenAsked() throws SQLException {
    assertThat(column(owner, "SELECT relname FROM pg_class WHERE relname IN ('probe', 'probe_job')"
        + " AND relrowsecurity AND relforcerowsecurity ORDER BY relname")).containsExactly("probe", "probe_job");
    assertThat(policies("public.probe")).containsExactly("patient_self:false", "tenant_isolation:true");
    assertThat(policies("public.probe_job")).containsExactly("scanner_reads:true", "tenant_isolation:true");
  }

  @Test
  void theScannersFunctionNamesEveryTenantWhileTheAppRoleSeesOnlyItsOwnRows() throws SQLException {
    DatabaseEndpoint app = infra.asApp(owner);
    UUID alpha = UUID.randomUUID();
    UUID beta = UUID.randomUUID();
    for (UUID tenant : List.of(alpha, beta)) {
      column(app, scoped(tenant), "INSERT INTO probe_job (tenant_id, id) VALUES ('" + tenant + "', '"
          + UUID.randomUUID() + "')");
    }
    assertThat(column(app, scoped(alpha), "SELECT DISTINCT tenant_id::text FROM probe_job"))
        .containsExactly(alpha.toString());
    assertThat(column(app, "SELECT t::text FROM probe_job_tenants() t")).contains(alpha.toString(), beta.toString());
    assertThat(column(owner, "SELECT pg_get_userbyid(proowner) FROM pg_proc"
        + " WHERE oid = 'public.probe_job_tenants'::regproc")).containsExactly(infra.roles().scanner());
  }

  @Test
  void theAppRoleMayNotCallTheSetUpFunctions() {
    assertThatThrownBy(() -> column(infra.asApp(owner), "SELECT secure_tenant_table('probe')"))
        .hasMessageContaining("permission denied for function secure_tenant_table");
  }

  @Test
  void aTenantSchemaGetsItsOwnFunctionsAndKeepsTheCreateItLendsTheScanner() throws SQLException {
    DatabaseRoles roles = infra.roles();
    String schema = "probe_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    column(owner, "CREATE SCHEMA " + schema + " AUTHORIZATION " + roles.owner(),
        "GRANT USAGE ON SCHEMA " + schema + " TO " + roles.app() + ", " + roles.scanner(),
        "GRANT CREATE ON SCHEMA " + schema + " TO " + roles.scanner());
    Migrations.migrate(owner, schema, List.of(PROBE), roles);

    assertThat(column(owner, "SELECT p.proname || ':' || pg_get_userbyid(p.proowner) FROM pg_proc p"
        + " WHERE p.pronamespace = '" + schema + "'::regnamespace ORDER BY p.proname")).containsExactly(
        "carries_groups:" + roles.owner(), "grant_scanner_reads:" + roles.owner(), "hand_to_scanner:" + roles.owner(),
        "keep_to_patient:" + roles.owner(), "keep_to_scope:" + roles.owner(), "probe_job_tenants:" + roles.scanner(),
        "secure_tenant_table:" + roles.owner());
    assertThat(column(owner, "SELECT relforcerowsecurity FROM pg_class WHERE oid = '" + schema + ".probe'::regclass"))
        .containsExactly("t");
    assertThat(column(owner, "SELECT has_schema_privilege('" + roles.scanner() + "', '" + schema + "', 'CREATE')"))
        .containsExactly("t");
  }

  /** The table's policies as {@code name:permissive}, by name. */
  private static List<String> policies(String table) throws SQLException {
    return column(owner, "SELECT polname || ':' || polpermissive FROM pg_policy WHERE polrelid = '" + table
        + "'::regclass ORDER BY polname");
  }

  /** The statement that scopes the rest of a session to {@code tenant}, as TenantDb scopes a transaction. */
  private static String scoped(UUID tenant) {
    return "SELECT set_config('app.tenant_id', '" + tenant + "', false)";
  }

  /** Runs the statements in one session; returns the first column of the last one's rows (none if it has none). */
  private static List<String> column(DatabaseEndpoint as, String... statements) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(as.jdbcUrl(), as.user(), as.password());
         Statement s = c.createStatement()) {
      for (String sql : statements) {
        out.clear();
        if (s.execute(sql)) {
          try (ResultSet rows = s.getResultSet()) {
            while (rows.next()) {
              out.add(rows.getString(1));
            }
          }
        }
      }
    }
    return out;
  }
}
