package io.caduceus.api.isolation;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Sql;
import io.caduceus.api.testing.Tokens;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.testing.Await;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant's scoped access policy, enforced by row-level security: a nurse of one facility cannot list, search or
 * read another facility's patients or their appointments, through the API or by SQL run as the app role with only
 * the tenant and user set; combined and switchable views, care teams and emergency access open exactly what they
 * should; with the policy off nothing changes. Every case runs in every isolation tier (the subclasses).
 */
class ScopedAccessTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();
  private Fixture f;

  /** The isolation tier both clinics are onboarded in. */
  IsolationTier tier() {
    return IsolationTier.SHARED;
  }

  /**
   * Clinic A with facilities East and West (with a department), a patient at each (each with an appointment) and
   * one on a care team only; a nurse of each facility, a nurse of both, a nurse of the care team, a nurse of West's
   * department only; and clinic B.
   */
  private record Fixture(Clinic a, Clinic b, UUID east, UUID west, UUID team, UUID department, String eastPatient,
                         String westPatient, String teamPatient, String eastVisit, String westVisit,
                         TestUser eastNurse, TestUser westNurse, TestUser bothNurse, TestUser teamNurse,
                         TestUser departmentNurse) {
  }

  private static final Map<IsolationTier, Fixture> FIXTURES = new ConcurrentHashMap<>();

  @BeforeEach
  void aClinicWithTwoFacilitiesAndACareTeam() {
    f = FIXTURES.computeIfAbsent(tier(), this::build);
    policy("off", "combined");
    Sql.update(owner(), "DELETE FROM " + table("session_group") + " WHERE tenant_id = ?", tenant());
    Sql.update(owner(), "DELETE FROM " + table("emergency_access") + " WHERE tenant_id = ?", tenant());
    for (String group : List.of("care_team", "department")) {
      Sql.update(owner(), "UPDATE " + table(group) + " SET status = 'active' WHERE tenant_id = ?", tenant());
    }
  }

  private Fixture build(IsolationTier tier) {
    Clinic a = Clinic.in("us", tier);
    Clinic b = Clinic.in("us", tier);
    this.f = new Fixture(a, b, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    UUID east = facility("Scoped East");
    UUID west = facility("Scoped West");
    UUID team = UUID.randomUUID();
    Sql.update(owner(), "INSERT INTO " + table("care_team") + " (tenant_id, id, name, created_by) VALUES (?, ?, ?, ?)",
        tenant(), team, "Wound care", a.admin.id());
    UUID department = UUID.randomUUID();
    Sql.update(owner(), "INSERT INTO " + table("department") + " (tenant_id, id, facility_id, name, created_by)"
        + " VALUES (?, ?, ?, ?, ?)", tenant(), department, west, "Cardiology", a.admin.id());
    String eastPatient = a.patient("Eastwood", "Erin").getString("id");
    String westPatient = a.patient("Westwood", "Wanda").getString("id");
    String teamPatient = a.patient("Teamson", "Tara").getString("id");
    link("patient_facility", "patient_id, facility_id", eastPatient, east);
    link("patient_facility", "patient_id, facility_id", westPatient, west);
    link("care_team_patient", "patient_id, care_team_id", teamPatient, team);
    TestUser eastNurse = platform.user(a.tenant, "nurse");
    TestUser westNurse = platform.user(a.tenant, "nurse");
    TestUser bothNurse = platform.user(a.tenant, "nurse");
    TestUser teamNurse = platform.user(a.tenant, "nurse");
    TestUser departmentNurse = platform.user(a.tenant, "nurse");
    member(eastNurse, east, "facility");
    member(westNurse, west, "facility");
    member(bothNurse, east, "facility");
    member(bothNurse, west, "facility");
    member(teamNurse, team, "care_team");
    member(departmentNurse, department, "department");
    return new Fixture(a, b, east, west, team, department, eastPatient, westPatient, teamPatient,
        a.appointment(eastPatient).getString("id"), a.appointment(westPatient).getString("id"),
        eastNurse, westNurse, bothNurse, teamNurse, departmentNurse);
  }

  @Test
  void withThePolicyOffEveryNurseSeesEveryPatient() {
    for (TestUser nurse : List.of(f.eastNurse(), f.westNurse(), f.teamNurse(), f.a().nurse)) {
      for (String patient : List.of(f.eastPatient(), f.westPatient(), f.teamPatient())) {
        expect(api.get("/v1/patients/" + patient, token(nurse)), 200);
      }
    }
  }

  @Test
  void aNurseOfOneFacilityCannotReadListOrSearchAnotherFacilitysPatients() {
    policy("facility", "combined");
    String nurse = token(f.eastNurse());
    expect(api.get("/v1/patients/" + f.eastPatient(), nurse), 200);
    expect(api.get("/v1/patients/" + f.westPatient(), nurse), 404);
    expect(api.get("/v1/patients/" + f.teamPatient(), nurse), 404);
    assertThat(ids(api.get("/v1/patients?limit=100", nurse))).containsExactly(f.eastPatient());
    assertThat(ids(api.get("/v1/patients?name=westwood", nurse))).isEmpty();
    assertThat(ids(api.get("/v1/patients?name=eastwood", nurse))).containsExactly(f.eastPatient());
    expect(api.get("/v1/patients/" + f.westPatient(), token(f.westNurse())), 200);
    expect(api.get("/v1/patients/" + f.eastPatient(), token(f.westNurse())), 404);
  }

  @Test
  void aNurseOfOneFacilitySeesNoneOfAnotherFacilitysAppointments() {
    policy("facility", "combined");
    String nurse = token(f.eastNurse());
    expect(api.get("/v1/appointments/" + f.westVisit(), nurse), 404);
    expect(api.get("/v1/appointments/" + f.eastVisit(), nurse), 200);
    assertThat(ids(api.get("/v1/appointments?patientId=" + f.westPatient(), nurse))).isEmpty();
    assertThat(ids(api.get("/v1/appointments?practitionerId=" + f.a().practitionerId + "&limit=100", nurse)))
        .contains(f.eastVisit()).doesNotContain(f.westVisit());
  }

  @Test
  void theFhirFacadeKeepsToTheNursesFacility() {
    policy("facility", "combined");
    String nurse = token(f.eastNurse());
    expect(api.get("/fhir/r4/Patient/" + f.westPatient(), nurse), 404);
    expect(api.get("/fhir/r4/Patient/" + f.eastPatient(), nurse), 200);
    JsonObject bundle = expect(api.get("/fhir/r4/Patient?_count=100", nurse), 200).json();
    List<String> found = new ArrayList<>();
    bundle.getJsonArray("entry", new io.vertx.core.json.JsonArray())
        .forEach(e -> found.add(((JsonObject) e).getJsonObject("resource").getString("id")));
    assertThat(found).containsExactly(f.eastPatient());
    JsonObject count = expect(api.get("/fhir/r4/Patient?_summary=count", nurse), 200).json();
    assertThat(count.getInteger("total")).isEqualTo(1);
  }

  @Test
  void theDatabaseConfinesTheAppRoleWithOnlyTheTenantAndUserSet() throws SQLException {
    policy("facility", "combined");
    assertThat(patientsSeenBySql(f.eastNurse().id())).containsExactly(f.eastPatient());
    assertThat(patientsSeenBySql(f.bothNurse().id())).containsExactlyInAnyOrder(f.eastPatient(), f.westPatient());
    assertThat(patientsSeenBySql(null)).isEmpty();
    assertThat(appointmentsSeenBySql(f.eastNurse().id())).containsExactly(f.eastVisit());
    policy("off", "combined");
    assertThat(patientsSeenBySql(f.eastNurse().id())).contains(f.eastPatient(), f.westPatient(), f.teamPatient());
  }

  /**
   * scope_groups() keeps a memo of the groups in the connection's session (region V38), so one pooled connection
   * serves nurse after nurse: every change of the groups' inputs, made on another connection or rolled back on this
   * one, shows in the next transaction, and one nurse's memo never serves another.
   */
  @Test
  void aConnectionsMemoOfTheGroupsFollowsEveryChangeAndNeverServesAnotherNurse() throws SQLException {
    policy("facility", "combined");
    DatabaseEndpoint app = TestInfrastructure.get().asApp(platform.superuser(f.a().tenant));
    try (Connection c = Sql.hold(app)) {
      assertThat(seenOn(c, f.eastNurse().id(), false)).containsExactly(f.eastPatient());
      assertThat(seenOn(c, f.westNurse().id(), false)).containsExactly(f.westPatient());
      assertThat(seenOn(c, f.eastNurse().id(), false)).containsExactly(f.eastPatient());

      member(f.eastNurse(), f.west(), "facility");
      assertThat(seenOn(c, f.eastNurse().id(), false)).containsExactlyInAnyOrder(f.eastPatient(), f.westPatient());
      Sql.update(owner(), "DELETE FROM " + table("staff_group") + " WHERE tenant_id = ? AND user_id = ? AND group_id = ?",
          tenant(), f.eastNurse().id(), f.west());
      assertThat(seenOn(c, f.eastNurse().id(), false)).containsExactly(f.eastPatient());

      // Her own transaction adds her to West, reads, and rolls back: the memo it made goes with it.
      scopeTo(c, f.eastNurse().id());
      try (var add = c.prepareStatement("INSERT INTO staff_group (tenant_id, user_id, group_id, kind, added_by)"
          + " VALUES (?, ?, ?, 'facility', ?)")) {
        add.setObject(1, tenant());
        add.setObject(2, f.eastNurse().id());
        add.setObject(3, f.west());
        add.setObject(4, f.a().admin.id());
        add.executeUpdate();
      }
      assertThat(seenOn(c, f.eastNurse().id(), true)).containsExactlyInAnyOrder(f.eastPatient(), f.westPatient());
      c.rollback();
      assertThat(seenOn(c, f.eastNurse().id(), false)).containsExactly(f.eastPatient());

      policy("care_team", "combined");
      assertThat(seenOn(c, f.eastNurse().id(), false)).isEmpty();
      assertThat(seenOn(c, f.teamNurse().id(), false)).containsExactly(f.teamPatient());
      Sql.update(owner(), "UPDATE " + table("care_team") + " SET status = 'closed' WHERE tenant_id = ? AND id = ?",
          tenant(), f.team());
      assertThat(seenOn(c, f.teamNurse().id(), false)).isEmpty();
      policy("off", "combined");
      assertThat(seenOn(c, f.eastNurse().id(), false))
          .contains(f.eastPatient(), f.westPatient(), f.teamPatient());
    }
  }

  /** The patients {@code user} reads on {@code c}: in the open transaction, or in one of its own, committed. */
  private List<String> seenOn(Connection c, UUID user, boolean inOpenTransaction) throws SQLException {
    if (!inOpenTransaction) {
      scopeTo(c, user);
    }
    List<String> seen = new ArrayList<>();
    try (ResultSet rs = c.createStatement().executeQuery("SELECT id FROM patient WHERE deleted_at IS NULL")) {
      while (rs.next()) {
        seen.add(rs.getString(1));
      }
    }
    if (!inOpenTransaction) {
      c.commit();
    }
    return seen;
  }

  private void scopeTo(Connection c, UUID user) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery("SELECT set_config('app.tenant_id', '" + tenant()
        + "', true), set_config('app.user_id', '" + user + "', true), set_config('search_path', '"
        + f.a().tenant.place().searchPath() + "', true)")) {
      rs.next();
    }
  }

  @Test
  void aCombinedViewSeesEveryFacilityOfTheNurse() {
    policy("facility", "combined");
    String nurse = token(f.bothNurse());
    expect(api.get("/v1/patients/" + f.eastPatient(), nurse), 200);
    expect(api.get("/v1/patients/" + f.westPatient(), nurse), 200);
    expect(api.get("/v1/patients/" + f.teamPatient(), nurse), 404);
  }

  @Test
  void aSwitchableViewSeesOnlyTheSessionsActiveGroup() {
    policy("facility", "switchable");
    String nurse = platform.login(f.bothNurse()).json().getString("accessToken");
    expect(api.get("/v1/patients/" + f.eastPatient(), nurse), 404);
    expect(api.get("/v1/patients/" + f.westPatient(), nurse), 404);
    choose(nurse, f.bothNurse(), f.east());
    expect(api.get("/v1/patients/" + f.eastPatient(), nurse), 200);
    expect(api.get("/v1/patients/" + f.westPatient(), nurse), 404);
    choose(nurse, f.bothNurse(), f.west());
    expect(api.get("/v1/patients/" + f.eastPatient(), nurse), 404);
    expect(api.get("/v1/patients/" + f.westPatient(), nurse), 200);
    String otherSession = platform.login(f.bothNurse()).json().getString("accessToken");
    expect(api.get("/v1/patients/" + f.westPatient(), otherSession), 404);
  }

  @Test
  void aCareTeamScopeSeesTheTeamsPatientsOnly() {
    policy("care_team", "combined");
    expect(api.get("/v1/patients/" + f.teamPatient(), token(f.teamNurse())), 200);
    expect(api.get("/v1/patients/" + f.eastPatient(), token(f.teamNurse())), 404);
    expect(api.get("/v1/patients/" + f.eastPatient(), token(f.eastNurse())), 404);
    String teamPatients = "/v1/care-teams/" + f.team() + "/patients";
    assertThat(teamPatientIds(teamPatients, token(f.teamNurse()))).containsExactly(f.teamPatient());
    assertThat(teamPatientIds(teamPatients, token(f.eastNurse()))).isEmpty();
    expect(api.get(teamPatients, token(f.b().admin)), 404);
    policy("facility_or_care_team", "combined");
    expect(api.get("/v1/patients/" + f.eastPatient(), token(f.eastNurse())), 200);
    expect(api.get("/v1/patients/" + f.teamPatient(), token(f.teamNurse())), 200);
    expect(api.get("/v1/patients/" + f.teamPatient(), token(f.eastNurse())), 404);
  }

  @Test
  void aClosedCareTeamNoLongerOpensItsPatientsButKeepsItsMembers() throws SQLException {
    policy("care_team", "combined");
    expect(api.get("/v1/patients/" + f.teamPatient(), token(f.teamNurse())), 200);
    expect(api.post("/v1/care-teams/" + f.team() + "/close", token(f.a().admin), null), 200);
    expect(api.get("/v1/patients/" + f.teamPatient(), token(f.teamNurse())), 404);
    assertThat(patientsSeenBySql(f.teamNurse().id())).isEmpty();
    JsonObject team = expect(api.get("/v1/care-teams/" + f.team(), token(f.a().admin)), 200).json();
    assertThat(team.getJsonArray("members").getList()).contains(f.teamNurse().id().toString());
    assertThat(expect(api.get("/v1/patients/" + f.teamPatient() + "/care-teams", token(f.a().admin)), 200).items())
        .hasSize(1);
  }

  @Test
  void aClosedDepartmentNoLongerOpensItsFacilitysPatients() throws SQLException {
    policy("facility", "combined");
    expect(api.get("/v1/patients/" + f.westPatient(), token(f.departmentNurse())), 200);
    expect(api.post("/v1/facilities/" + f.west() + "/departments/" + f.department() + "/close",
        token(f.a().admin), null), 200);
    expect(api.get("/v1/patients/" + f.westPatient(), token(f.departmentNurse())), 404);
    assertThat(patientsSeenBySql(f.departmentNurse().id())).isEmpty();
    expect(api.get("/v1/patients/" + f.westPatient(), token(f.westNurse())), 200);
  }

  @Test
  void aSwitchableNursesExportHoldsTheGroupHerSessionHadChosenWhenSheAsked() {
    policy("facility", "switchable");
    String nurse = platform.login(f.bothNurse()).json().getString("accessToken");
    expect(api.put("/v1/me/active-group", nurse, new JsonObject().put("groupId", f.east().toString())), 200);
    Api.Response kickOff = expect(api.send("GET", "/fhir/r4/Patient/$export?_type=Patient", nurse, null,
        Map.of("Accept", "application/fhir+json", "Prefer", "respond-async")), 202);
    // The session moves on to West; the export still holds what the nurse saw when she asked: East's patient.
    expect(api.put("/v1/me/active-group", nurse, new JsonObject().put("groupId", f.west().toString())), 200);
    String status = path(kickOff.header("Content-Location"));
    Api.Response done = Await.until(() -> api.send("GET", status, nurse, null, Map.of("Accept", "application/json")),
        r -> r.status() != 202, Duration.ofSeconds(90));
    JsonObject manifest = expect(done, 200).json();
    List<String> exported = new ArrayList<>();
    for (Object o : manifest.getJsonArray("output")) {
      JsonObject file = (JsonObject) o;
      String body = expect(api.send("GET", path(file.getString("url")), nurse, null,
          Map.of("Accept", "application/fhir+ndjson")), 200).body();
      body.lines().filter(line -> !line.isBlank()).map(JsonObject::new)
          .filter(r -> "Patient".equals(r.getString("resourceType"))).forEach(r -> exported.add(r.getString("id")));
    }
    assertThat(exported).containsExactly(f.eastPatient());
  }

  @Test
  void anActiveEmergencyAccessOpensThatPatientToThatUserOnly() {
    policy("facility", "combined");
    String path = "/v1/patients/" + f.westPatient();
    emergency(f.eastNurse(), f.westPatient(), "now() + interval '1 hour'", null);
    expect(api.get(path, token(f.eastNurse())), 200);
    expect(api.get("/v1/patients/" + f.teamPatient(), token(f.eastNurse())), 404);
    expect(api.get(path, token(f.teamNurse())), 404);
    Sql.update(owner(), "UPDATE " + table("emergency_access") + " SET ended_at = now() WHERE tenant_id = ?", tenant());
    expect(api.get(path, token(f.eastNurse())), 404);
    emergency(f.eastNurse(), f.westPatient(), "now() - interval '1 minute'", "now() - interval '2 hours'");
    expect(api.get(path, token(f.eastNurse())), 404);
  }

  @Test
  void aTenantAdminAndAPatientAreNotConfinedByFacility() {
    policy("facility", "combined");
    expect(api.get("/v1/patients/" + f.westPatient(), token(f.a().admin)), 200);
    TestUser account = platform.patientAccount(f.a().tenant, UUID.fromString(f.westPatient()));
    expect(api.get("/v1/patients/" + f.westPatient(), token(account)), 200);
    expect(api.get("/v1/patients/" + f.eastPatient(), token(account)), 404);
  }

  @Test
  void anotherTenantStillSeesNothing() {
    policy("facility", "combined");
    expect(api.get("/v1/patients/" + f.eastPatient(), token(f.b().nurse)), 404);
    expect(api.get("/v1/patients/" + f.eastPatient(), token(f.b().admin)), 404);
    assertThat(ids(api.get("/v1/patients?name=eastwood", token(f.b().desk)))).isEmpty();
  }

  /**
   * A member's groups and a patient's facilities and care teams are paged in every tier, and a cursor is sealed for
   * its tenant: clinic B's admin cannot use clinic A's on B's own member or patient, nor read A's listings. The
   * patient's sites and teams are new and have no staff, so they open the patient to no one under any policy.
   */
  @Test
  void theGroupListingsPageAndTheirCursorsStayInTheirTenant() {
    String admin = token(f.a().admin);
    String groups = "/v1/staff/" + f.bothNurse().id() + "/groups";
    Api.Response first = expect(api.get(groups + "?limit=1", admin), 200);
    Api.Response second = expect(api.get(groups + "?limit=1&cursor=" + first.json().getString("nextCursor"),
        admin), 200);
    assertThat(List.of(name(first), name(second))).containsExactly("Scoped East", "Scoped West");
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String patient = f.a().patient("Paged", "Polly").getString("id");
    for (String site : List.of("Paged North " + suffix, "Paged South " + suffix)) {
      link("patient_facility", "patient_id, facility_id", patient, facility(site));
    }
    String sites = "/v1/patients/" + patient + "/facilities";
    Api.Response site = expect(api.get(sites + "?limit=1", admin), 200);
    assertThat(name(site)).isEqualTo("Paged North " + suffix);
    assertThat(name(expect(api.get(sites + "?limit=1&cursor=" + site.json().getString("nextCursor"), admin), 200)))
        .isEqualTo("Paged South " + suffix);

    String b = token(f.b().admin);
    String theirs = f.b().patient("Theirs", "Tom").getString("id");
    expect(api.get("/v1/patients/" + theirs + "/facilities?cursor=" + site.json().getString("nextCursor"), b), 400);
    expect(api.get("/v1/staff/" + f.b().nurse.id() + "/groups?cursor=" + first.json().getString("nextCursor"), b),
        400);
    expect(api.get(sites, b), 404);
    expect(api.get("/v1/patients/" + patient + "/care-teams", b), 404);
    expect(api.get(groups, b), 404);
  }

  private static String name(Api.Response page) {
    assertThat(page.items()).hasSize(1);
    return page.items().getJsonObject(0).getString("name");
  }

  private List<String> patientsSeenBySql(UUID user) throws SQLException {
    return seenBySql(user, "SELECT id FROM patient WHERE deleted_at IS NULL");
  }

  private List<String> appointmentsSeenBySql(UUID user) throws SQLException {
    return seenBySql(user, "SELECT id FROM appointment");
  }

  /** The ids a statement returns to the app role in a transaction that sets only the tenant, the user and the path. */
  private List<String> seenBySql(UUID user, String statement) throws SQLException {
    DatabaseEndpoint app = TestInfrastructure.get().asApp(platform.superuser(f.a().tenant));
    String scope = "SELECT set_config('app.tenant_id', '" + tenant() + "', true), set_config('app.user_id', '"
        + (user == null ? "" : user) + "', true), set_config('search_path', '" + f.a().tenant.place().searchPath()
        + "', true)";
    List<String> seen = new ArrayList<>();
    try (Connection c = Sql.hold(app, scope); ResultSet rs = c.createStatement().executeQuery(statement)) {
      while (rs.next()) {
        seen.add(rs.getString(1));
      }
    }
    return seen;
  }

  private void policy(String scope, String view) {
    Sql.update(owner(), "INSERT INTO " + table("access_policy") + " (tenant_id, scope, group_view, updated_by)"
        + " VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET scope = excluded.scope,"
        + " group_view = excluded.group_view", tenant(), scope, view, f.a().admin.id());
  }

  private void choose(String token, TestUser user, UUID group) {
    UUID session = UUID.fromString(Tokens.payload(token).getString("sid"));
    Sql.update(owner(), "INSERT INTO " + table("session_group") + " (tenant_id, session_id, user_id, group_id)"
        + " VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, session_id) DO UPDATE SET group_id = excluded.group_id",
        tenant(), session, user.id(), group);
  }

  private void emergency(TestUser user, String patient, String expires, String granted) {
    Sql.update(owner(), "INSERT INTO " + table("emergency_access") + " (tenant_id, id, user_id, patient_id, reason,"
        + " granted_at, expires_at) VALUES (?, ?, ?, ?, 'Patient collapsed in the corridor', "
        + (granted == null ? "now()" : granted) + ", " + expires + ")",
        tenant(), UUID.randomUUID(), user.id(), UUID.fromString(patient));
  }

  private UUID facility(String name) {
    UUID id = UUID.randomUUID();
    Sql.update(owner(), "INSERT INTO " + table("facility") + " (tenant_id, id, name, created_by) VALUES (?, ?, ?, ?)",
        tenant(), id, name, f.a().admin.id());
    return id;
  }

  private void link(String table, String columns, String patient, UUID group) {
    Sql.update(owner(), "INSERT INTO " + table(table) + " (tenant_id, " + columns + ", added_by) VALUES (?, ?, ?, ?)",
        tenant(), UUID.fromString(patient), group, f.a().admin.id());
  }

  private void member(TestUser user, UUID group, String kind) {
    Sql.update(owner(), "INSERT INTO " + table("staff_group") + " (tenant_id, user_id, group_id, kind, added_by)"
        + " VALUES (?, ?, ?, ?, ?)", tenant(), user.id(), group, kind, f.a().admin.id());
  }

  private DatabaseEndpoint owner() {
    return platform.superuser(f.a().tenant);
  }

  private UUID tenant() {
    return f.a().tenant.id().value();
  }

  private String table(String name) {
    return f.a().tenant.place().schema() + "." + name;
  }

  private String token(TestUser user) {
    return platform.token(user);
  }

  private List<String> teamPatientIds(String path, String token) {
    return expect(api.get(path, token), 200).items().stream().map(p -> ((JsonObject) p).getString("patientId"))
        .toList();
  }

  private static String path(String url) {
    URI uri = URI.create(url);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static List<String> ids(Api.Response page) {
    return expect(page, 200).items().stream().map(p -> ((JsonObject) p).getString("id")).toList();
  }
}
