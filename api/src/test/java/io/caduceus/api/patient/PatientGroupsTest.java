package io.caduceus.api.patient;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.testing.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A patient row's group_ids (region V41) is derived from patient_facility and care_team_patient by triggers and copied
 * to the patient's name words, and the scoped access policy on both reads nothing else: so every way those tables
 * change must reach the row, whoever writes them and in whichever order the rows come.
 */
class PatientGroupsTest {

  private static final UUID TENANT = UUID.randomUUID();
  private static final UUID NURSE = UUID.randomUUID();
  private static final UUID HERS = new UUID(0x0000_0000_0000_7000L, 0xa000_0000_0000_0001L);
  private static final UUID OTHER = new UUID(0x0000_0000_0000_7000L, 0xa000_0000_0000_0002L);
  private static final UUID TEAM = new UUID(0x0000_0000_0000_7000L, 0xa000_0000_0000_0003L);
  private static final UUID TEAM_TOO = new UUID(0x0000_0000_0000_7000L, 0xa000_0000_0000_0004L);

  private static final DatabaseEndpoint OWNER = TestPlatform.get().superuser("us");
  private final DatabaseEndpoint app = TestInfrastructure.get().asApp(TestPlatform.get().owner("us"));

  /** Two sites and two care teams; the nurse at the first site; the policy confines to facilities or care teams. */
  @BeforeAll
  static void aTenantWithSites() {
    for (UUID site : List.of(HERS, OTHER)) {
      Sql.update(OWNER, "INSERT INTO facility (tenant_id, id, name, created_by) VALUES (?, ?, ?, ?)",
          TENANT, site, "Site " + site, NURSE);
    }
    for (UUID team : List.of(TEAM, TEAM_TOO)) {
      Sql.update(OWNER, "INSERT INTO care_team (tenant_id, id, name, created_by) VALUES (?, ?, ?, ?)",
          TENANT, team, "Team " + team, NURSE);
    }
    Sql.update(OWNER, "INSERT INTO staff_group (tenant_id, user_id, group_id, kind, added_by)"
        + " VALUES (?, ?, ?, 'facility', ?)", TENANT, NURSE, HERS, NURSE);
    Sql.update(OWNER, "INSERT INTO access_policy (tenant_id, scope, group_view, updated_by)"
        + " VALUES (?, 'facility_or_care_team', 'combined', ?)", TENANT, NURSE);
  }

  @AfterAll
  static void dropThem() {
    for (String table : List.of("access_policy", "staff_group", "care_team_patient", "patient_facility", "care_team",
        "facility", "patient_version", "patient")) {
      Sql.update(OWNER, "DELETE FROM " + table + " WHERE tenant_id = ?", TENANT);
    }
  }

  @Test
  void aNurseWhoRegistersAnotherSitesPatientAtHersReadsItUntilTheRegistrationGoes() throws SQLException {
    UUID patient = patient();
    link("patient_facility", "facility_id", patient, OTHER);
    try (Connection nurse = Sql.hold(app, "SELECT set_config('app.tenant_id', '" + TENANT + "', true),"
        + " set_config('app.user_id', '" + NURSE + "', true)")) {
      assertThat(visible(nurse, patient)).isFalse();
      assertThat(words(nurse, patient)).isZero();
      run(nurse, "INSERT INTO patient_facility (tenant_id, patient_id, facility_id, added_by) VALUES ('" + TENANT
          + "', '" + patient + "', '" + HERS + "', '" + NURSE + "')");
      assertThat(visible(nurse, patient)).isTrue();
      assertThat(words(nurse, patient)).isOne();
      run(nurse, "DELETE FROM patient_facility WHERE patient_id = '" + patient + "' AND facility_id = '" + HERS + "'");
      assertThat(visible(nurse, patient)).isFalse();
      assertThat(words(nurse, patient)).isZero();
      nurse.rollback();
    }
    assertThat(groups(patient)).isEqualTo("{" + OTHER + "}");
  }

  @Test
  void groupsAreSortedWhateverTheOrderAndFollowEveryChangeWithoutANewVersion() {
    UUID patient = UUID.randomUUID();
    link("care_team_patient", "care_team_id", patient, TEAM_TOO);
    link("patient_facility", "facility_id", patient, OTHER);
    patient(patient);
    assertThat(groups(patient)).isEqualTo("{" + OTHER + "," + TEAM_TOO + "}");
    link("care_team_patient", "care_team_id", patient, TEAM);
    link("patient_facility", "facility_id", patient, HERS);
    assertThat(groups(patient)).isEqualTo("{" + HERS + "," + OTHER + "," + TEAM + "," + TEAM_TOO + "}");

    Sql.update(OWNER, "DELETE FROM care_team_patient WHERE tenant_id = ? AND patient_id = ? AND care_team_id = ?",
        TENANT, patient, TEAM_TOO);
    assertThat(groups(patient)).isEqualTo("{" + HERS + "," + OTHER + "," + TEAM + "}");
    Sql.update(OWNER, "UPDATE care_team_patient SET care_team_id = ? WHERE tenant_id = ? AND patient_id = ?"
        + " AND care_team_id = ?", TEAM_TOO, TENANT, patient, TEAM);
    assertThat(groups(patient)).isEqualTo("{" + HERS + "," + OTHER + "," + TEAM_TOO + "}");
    Sql.update(OWNER, "DELETE FROM care_team_patient WHERE tenant_id = ? AND patient_id = ?", TENANT, patient);
    assertThat(groups(patient)).isEqualTo("{" + HERS + "," + OTHER + "}");

    UUID another = patient();
    Sql.update(OWNER, "UPDATE patient_facility SET patient_id = ? WHERE tenant_id = ? AND patient_id = ?"
        + " AND facility_id = ?", another, TENANT, patient, HERS);
    assertThat(groups(patient)).isEqualTo("{" + OTHER + "}");
    assertThat(groups(another)).isEqualTo("{" + HERS + "}");

    assertThat(Sql.query(OWNER, "SELECT w.group_ids::text AS g FROM patient_name_word w WHERE w.tenant_id = ?"
        + " AND w.patient_id IN (?, ?) ORDER BY w.patient_id = ?", TENANT, patient, another, patient))
        .extracting(row -> row.get("g")).containsExactly("{" + HERS + "}", "{" + OTHER + "}");
    assertThat(Sql.query(OWNER, "SELECT version FROM patient WHERE tenant_id = ? AND id = ?", TENANT, patient)
        .get(0).get("version")).isEqualTo(1);
    assertThat(Sql.query(OWNER, "SELECT 1 FROM patient_version WHERE tenant_id = ? AND patient_id IN (?, ?)",
        TENANT, patient, another)).isEmpty();
  }

  private static UUID patient() {
    return patient(UUID.randomUUID());
  }

  private static UUID patient(UUID id) {
    Sql.update(OWNER, "INSERT INTO patient (tenant_id, id, mrn, family_name, created_by, updated_by)"
        + " VALUES (?, ?, ?, 'Grouped', ?, ?)", TENANT, id, "GRP-" + id, NURSE, NURSE);
    return id;
  }

  private static void link(String table, String column, UUID patient, UUID group) {
    Sql.update(OWNER, "INSERT INTO " + table + " (tenant_id, patient_id, " + column + ", added_by) VALUES (?, ?, ?, ?)",
        TENANT, patient, group, NURSE);
  }

  private static Object groups(UUID patient) {
    return Sql.query(OWNER, "SELECT group_ids::text AS g FROM patient WHERE tenant_id = ? AND id = ?", TENANT, patient)
        .get(0).get("g");
  }

  private static boolean visible(Connection c, UUID patient) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery("SELECT 1 FROM patient WHERE id = '" + patient + "'")) {
      return rs.next();
    }
  }

  /** The patient's name words the connection's user can read (the name "Grouped" is one word). */
  private static int words(Connection c, UUID patient) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM patient_name_word WHERE patient_id = '"
        + patient + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void run(Connection c, String statement) throws SQLException {
    c.createStatement().execute(statement);
  }
}
