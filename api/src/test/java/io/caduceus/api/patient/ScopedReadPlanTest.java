package io.caduceus.api.patient;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Plans;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A patient read by id ({@link PatientSql#FIND}) plans one relation of the scoped access policy at most (region V40):
 * the org_scope policy is an init plan, the facility arm's EXISTS probe of patient_facility, a call of scope_admits
 * for the care-team arm and an emergency init plan, so no read plans, starts or locks care_team_patient or
 * emergency_access, nor their row-level security, in any execution; with the policy off the facility probe is in
 * the plan but never runs. Planned generic, as the server's prepared statement is after five runs, as the app role.
 */
class ScopedReadPlanTest {

  private static final UUID OFF = UUID.randomUUID();
  private static final UUID ON = UUID.randomUUID();
  private static final UUID NURSE = UUID.randomUUID();
  private static final UUID SITE = UUID.randomUUID();
  private static final UUID PATIENT = UUID.randomUUID();

  private static final DatabaseEndpoint OWNER = TestPlatform.get().superuser("us");
  private final DatabaseEndpoint app = TestInfrastructure.get().asApp(TestPlatform.get().owner("us"));

  /** Tenant OFF has a patient and no policy; tenant ON the policy `facility`, a nurse and a patient at her site. */
  @BeforeAll
  static void twoTenants() {
    for (UUID tenant : List.of(OFF, ON)) {
      Sql.update(OWNER, "INSERT INTO patient (tenant_id, id, mrn, family_name, created_by, updated_by)"
          + " VALUES (?, ?, 'SCOPED-PLAN', 'Planned', ?, ?)", tenant, PATIENT, NURSE, NURSE);
    }
    Sql.update(OWNER, "INSERT INTO facility (tenant_id, id, name, created_by) VALUES (?, ?, 'Plan site', ?)",
        ON, SITE, NURSE);
    Sql.update(OWNER, "INSERT INTO patient_facility (tenant_id, patient_id, facility_id, added_by) VALUES (?, ?, ?, ?)",
        ON, PATIENT, SITE, NURSE);
    Sql.update(OWNER, "INSERT INTO staff_group (tenant_id, user_id, group_id, kind, added_by)"
        + " VALUES (?, ?, ?, 'facility', ?)", ON, NURSE, SITE, NURSE);
    Sql.update(OWNER, "INSERT INTO access_policy (tenant_id, scope, group_view, updated_by)"
        + " VALUES (?, 'facility', 'combined', ?)", ON, NURSE);
  }

  @AfterAll
  static void dropThem() {
    for (String table : List.of("access_policy", "staff_group", "patient_facility", "facility", "patient")) {
      Sql.update(OWNER, "DELETE FROM " + table + " WHERE tenant_id IN (?, ?)", OFF, ON);
    }
  }

  @Test
  void withThePolicyOffTheReadProbesNothing() {
    List<JsonObject> nodes = find(OFF);
    assertThat(relations(nodes)).contains("patient").isSubsetOf("patient", "patient_facility");
    assertThat(nodes.get(0).getString("Filter")).contains("scope_admits(");
    assertThat(nodes.get(0).getLong("Actual Rows")).isEqualTo(1L);
    assertThat(nodes.stream().filter(n -> "patient_facility".equals(n.getString("Relation Name"))))
        .allSatisfy(n -> assertThat(n.getLong("Actual Loops")).isZero());
  }

  @Test
  void withThePolicyOnTheNurseReadsHerSitesPatientWithTheSamePlan() {
    List<JsonObject> nodes = find(ON);
    assertThat(relations(nodes)).contains("patient").isSubsetOf("patient", "patient_facility");
    assertThat(nodes.get(0).getLong("Actual Rows")).isEqualTo(1L);
  }

  private static List<String> relations(List<JsonObject> nodes) {
    return nodes.stream().map(n -> n.getString("Relation Name")).filter(Objects::nonNull).distinct().toList();
  }

  /** The executed generic plan of the read of PATIENT in {@code tenant}, as the nurse. */
  private List<JsonObject> find(UUID tenant) {
    return Plans.generic(app, tenant, PatientSql.FIND, "'" + PATIENT + "'", "ANALYZE, FORMAT JSON",
        "SELECT set_config('app.user_id', '" + NURSE + "', true)");
  }
}
