package io.caduceus.api.organisation;

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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A care team's patients ({@link OrganisationSql#CARE_TEAM_PATIENTS}, {@code GET /v1/care-teams/{id}/patients}) are
 * read from care_team_patient_patients (tenant, team, patient) with the team and the cursor as index conditions, each
 * patient then found by its key. Planned generic, as the prepared statement is after five runs, as the app role under
 * row-level security, at realistic row counts with their statistics: 10,000 patients of one tenant on 20 teams of
 * about 1,000, two teams each.
 *
 * <p>The walk is in the page's order and stops at its end: no sort, and only the page's rows (and the one after,
 * which says there is a next page) are read, from the first page as from one in the middle of a team of 1,000.
 * care_team_patient's patient_self policy (keep_to_patient) once estimated its filter at 0.5 % of the team's rows,
 * two after the cursor, so the planner read all of them by bitmap, joined each to patient and sorted (a page from
 * the middle: 499 rows joined for 51, 17 ms); its first arm is now a boolean the planner takes for half.
 */
class CareTeamPatientsPlanTest {

  private static final int PATIENTS = 10_000;
  private static final int TEAMS = 20;
  private static final int LIMIT = 50;
  private static final UUID TENANT = UUID.randomUUID();
  /** The team whose patients are paged. */
  private static UUID team;

  private static final DatabaseEndpoint OWNER = TestPlatform.get().superuser("us");
  private final DatabaseEndpoint app = TestInfrastructure.get().asApp(TestPlatform.get().owner("us"));

  @BeforeAll
  static void aTenantWithTenThousandPatientsOnTwentyTeams() {
    UUID by = UUID.randomUUID();
    Sql.update(OWNER, "INSERT INTO care_team (tenant_id, id, name, created_by) SELECT ?, gen_random_uuid(),"
        + " 'Plan team ' || t, ? FROM generate_series(0, ?) t", TENANT, by, TEAMS - 1);
    Sql.update(OWNER, "INSERT INTO patient (tenant_id, id, mrn, family_name, created_by, updated_by)"
        + " SELECT ?, gen_random_uuid(), 'PLAN-' || g, 'Planned' || g, ?, ? FROM generate_series(1, ?) g",
        TENANT, by, by, PATIENTS);
    // Each patient on two teams: the one of its number and the next.
    Sql.update(OWNER, "INSERT INTO care_team_patient (tenant_id, patient_id, care_team_id, added_by)"
        + " SELECT p.tenant_id, p.id, t.id, ?"
        + " FROM (SELECT tenant_id, id, row_number() OVER (ORDER BY id) AS n FROM patient WHERE tenant_id = ?) p"
        + " CROSS JOIN generate_series(0, 1) k"
        + " JOIN care_team t ON t.tenant_id = p.tenant_id AND t.name = 'Plan team ' || ((p.n + k) % ?)",
        by, TENANT, TEAMS);
    team = (UUID) Sql.query(OWNER, "SELECT id FROM care_team WHERE tenant_id = ? AND name = 'Plan team 0'", TENANT)
        .get(0).get("id");
    Sql.execute(OWNER, "ANALYZE patient", "ANALYZE care_team_patient", "ANALYZE care_team");
  }

  @AfterAll
  static void dropThem() {
    Sql.update(OWNER, "DELETE FROM care_team_patient WHERE tenant_id = ?", TENANT);
    Sql.update(OWNER, "DELETE FROM patient WHERE tenant_id = ?", TENANT);
    Sql.update(OWNER, "DELETE FROM care_team WHERE tenant_id = ?", TENANT);
  }

  @Test
  void theFirstPageReadsOnlyTheTeamsRowsByItsIndex() {
    assertReadsTheTeamByItsIndex(run("null"));
  }

  @Test
  void aLaterPageReadsTheTeamsRowsFromTheCursorByItsIndex() {
    UUID middle = (UUID) Sql.query(OWNER, "SELECT patient_id FROM care_team_patient WHERE tenant_id = ?"
        + " AND care_team_id = ? ORDER BY patient_id OFFSET 500 LIMIT 1", TENANT, team).get(0).get("patient_id");
    assertReadsTheTeamByItsIndex(run("'" + middle + "'"));
  }

  private static void assertReadsTheTeamByItsIndex(List<JsonObject> nodes) {
    JsonObject walk = nodes.stream().filter(n -> "care_team_patient_patients".equals(n.getString("Index Name")))
        .findFirst().orElseThrow(() -> new AssertionError("care_team_patient_patients is not walked: " + nodes));
    assertThat(walk.getString("Index Cond")).contains("care_team_id =").contains("patient_id >");
    assertThat(walk.getString("Filter", "")).doesNotContain("patient_id >");
    // The page's rows and the one after it, in order: nothing else of the team's, nor of the other teams'.
    assertThat(walk.getLong("Actual Rows") * walk.getLong("Actual Loops")).isEqualTo(LIMIT + 1L);
    assertThat(nodes).noneMatch(n -> n.getString("Node Type").contains("Sort"));
    assertThat(nodes).anyMatch(n -> "patient".equals(n.getString("Relation Name"))
        && n.getString("Node Type").startsWith("Index") && n.getString("Index Cond", "").contains("id ="));
  }

  /** The nodes of the executed generic plan of the statement, after the patient {@code after} ("null": first). */
  private List<JsonObject> run(String after) {
    return Plans.generic(app, TENANT, OrganisationSql.CARE_TEAM_PATIENTS, "'" + team + "', " + after + ", " + (LIMIT + 1),
        "ANALYZE, FORMAT JSON");
  }
}
