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
 * A patient read by id ({@link PatientSql#FIND}) probes no relation of the scoped access policy per row (regions
 * V41, V43): the patient row carries its facilities and care teams (group_ids, kept by triggers), so the org_scope
 * policy is an overlap of the row's groups with the member's, read once per statement by an init plan beside the
 * tenant's access_policy row, and an emergency init plan. No read plans, starts or locks patient_facility,
 * care_team_patient or emergency_access, nor their row-level security, with the policy off or on. Planned generic,
 * as the server's prepared statement is after five runs, as the app role.
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
    assertThat(relations(nodes)).containsExactlyInAnyOrder("patient", "access_policy");
    assertThat(policyProbe(nodes).getLong("Actual Loops")).isEqualTo(1L);
    JsonObject patient = patientScan(nodes);
    assertThat(patient.getString("Filter")).contains("group_ids && ");
    assertThat(patient.getLong("Actual Rows")).isEqualTo(1L);
  }

  @Test
  void withThePolicyOnTheNurseReadsHerSitesPatientWithTheSamePlan() {
    List<JsonObject> nodes = find(ON);
    assertThat(relations(nodes)).containsExactlyInAnyOrder("patient", "access_policy");
    assertThat(policyProbe(nodes).getLong("Actual Loops")).isEqualTo(1L);
    assertThat(patientScan(nodes).getLong("Actual Rows")).isEqualTo(1L);
  }

  @Test
  void thePatientRowCarriesTheSiteItsRegistrationNamed() {
    assertThat(Sql.query(OWNER, "SELECT group_ids::text AS g FROM patient WHERE tenant_id = ? AND id = ?", ON, PATIENT)
        .get(0).get("g")).isEqualTo("{" + SITE + "}");
  }

  /** The tenant's policy row, read once per statement (an init plan), not once per patient row. */
  private static JsonObject policyProbe(List<JsonObject> nodes) {
    return nodes.stream().filter(n -> "access_policy".equals(n.getString("Relation Name"))).findFirst().orElseThrow();
  }

  private static JsonObject patientScan(List<JsonObject> nodes) {
    return nodes.stream().filter(n -> "patient".equals(n.getString("Relation Name"))).findFirst().orElseThrow();
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
