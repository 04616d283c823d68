package io.caduceus.api.organisation;

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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One pooled connection serves many members: the scoped access policy's memo of each member's groups (region V42,
 * and V43's groups in force read by the policy on patient) is kept per member on the connection, so a member served
 * again after another finds their own groups, and a change of their groups (a new org_version) is never answered
 * from an older entry.
 */
class ScopeMemoTest {

  private static final UUID TENANT = UUID.randomUUID();
  private static final UUID ANNA = UUID.randomUUID();
  private static final UUID BEN = UUID.randomUUID();
  private static final UUID NORTH = UUID.randomUUID();
  private static final UUID SOUTH = UUID.randomUUID();
  private static final UUID AT_NORTH = UUID.randomUUID();
  private static final UUID AT_SOUTH = UUID.randomUUID();

  private static final DatabaseEndpoint OWNER = TestPlatform.get().superuser("us");
  private final DatabaseEndpoint app = TestInfrastructure.get().asApp(TestPlatform.get().owner("us"));

  /** Anna works at the north site, Ben at the south; one patient at each; the policy confines to facilities. */
  @BeforeAll
  static void twoSitesTwoNurses() {
    for (UUID site : List.of(NORTH, SOUTH)) {
      Sql.update(OWNER, "INSERT INTO facility (tenant_id, id, name, created_by) VALUES (?, ?, ?, ?)",
          TENANT, site, "Site " + site, ANNA);
    }
    for (UUID patient : List.of(AT_NORTH, AT_SOUTH)) {
      Sql.update(OWNER, "INSERT INTO patient (tenant_id, id, mrn, family_name, created_by, updated_by)"
          + " VALUES (?, ?, ?, 'Memo', ?, ?)", TENANT, patient, "MEMO-" + patient, ANNA, ANNA);
      Sql.update(OWNER, "INSERT INTO patient_facility (tenant_id, patient_id, facility_id, added_by)"
          + " VALUES (?, ?, ?, ?)", TENANT, patient, patient.equals(AT_NORTH) ? NORTH : SOUTH, ANNA);
    }
    staff(ANNA, NORTH);
    staff(BEN, SOUTH);
    Sql.update(OWNER, "INSERT INTO access_policy (tenant_id, scope, group_view, updated_by)"
        + " VALUES (?, 'facility', 'combined', ?)", TENANT, ANNA);
  }

  @AfterAll
  static void dropThem() {
    for (String table : List.of("access_policy", "staff_group", "patient_facility", "facility", "patient")) {
      Sql.update(OWNER, "DELETE FROM " + table + " WHERE tenant_id = ?", TENANT);
    }
  }

  @Test
  void eachMemberServedInTurnOnOneConnectionSeesTheirOwnPatientsAndTheirGroupsAsTheyChange() throws SQLException {
    try (Connection c = Sql.hold(app, "SELECT set_config('app.tenant_id', '" + TENANT + "', false)")) {
      for (int turn = 0; turn < 3; turn++) {
        assertThat(patientsSeenBy(c, ANNA)).containsExactly(AT_NORTH);
        assertThat(patientsSeenBy(c, BEN)).containsExactly(AT_SOUTH);
      }
      c.commit();
      Sql.update(OWNER, "DELETE FROM staff_group WHERE tenant_id = ? AND user_id = ?", TENANT, ANNA);
      staff(ANNA, SOUTH);
      assertThat(patientsSeenBy(c, BEN)).containsExactly(AT_SOUTH);
      assertThat(patientsSeenBy(c, ANNA)).containsExactly(AT_SOUTH);
      c.commit();
    }
  }

  private static void staff(UUID user, UUID site) {
    Sql.update(OWNER, "INSERT INTO staff_group (tenant_id, user_id, group_id, kind, added_by)"
        + " VALUES (?, ?, ?, 'facility', ?)", TENANT, user, site, user);
  }

  private static List<UUID> patientsSeenBy(Connection c, UUID user) throws SQLException {
    c.createStatement().execute("SELECT set_config('app.user_id', '" + user + "', false)");
    List<UUID> seen = new ArrayList<>();
    try (ResultSet rs = c.createStatement().executeQuery("SELECT id FROM patient WHERE family_name = 'Memo'"
        + " ORDER BY id")) {
      while (rs.next()) {
        seen.add(rs.getObject(1, UUID.class));
      }
    }
    return seen;
  }
}
