package io.caduceus.api.organisation;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.AuditRows;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The organisation's operations: a tenant admin opens facilities with departments and forms care teams, places
 * staff and patients in them, and turns the scoped access policy on; staff then see what their groups let them see,
 * and a switchable member chooses their session's group.
 */
class OrganisationTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();
  private Clinic clinic;
  private String admin;

  @BeforeEach
  void aClinic() {
    clinic = Clinic.in("us");
    admin = clinic.token(clinic.admin);
  }

  @Test
  void anAdminOpensListsChangesAndClosesFacilities() {
    Api.Response created = expect(api.post("/v1/facilities", admin, new JsonObject().put("name", "Riverside Main")
        .put("address", new JsonObject().put("city", "Springfield").put("country", "US"))
        .put("timeZone", "America/Chicago")), 201);
    String id = created.json().getString("id");
    assertThat(created.header("Location")).isEqualTo("/v1/facilities/" + id);
    assertThat(created.json().getString("timeZone")).isEqualTo("America/Chicago");
    facility("Riverside East");
    facility("Riverside North");
    expect(api.post("/v1/facilities", admin, new JsonObject().put("name", "riverside main")), 409);
    Api.Response badZone = expect(api.post("/v1/facilities", admin, new JsonObject().put("name", "Elsewhere")
        .put("timeZone", "Mars/Olympus")), 400);
    assertThat(badZone.body()).contains("/timeZone").doesNotContain("Mars");

    Api.Response first = expect(api.get("/v1/facilities?limit=2", clinic.token(clinic.nurse)), 200);
    assertThat(names(first)).containsExactly("Riverside East", "Riverside Main");
    Api.Response second = expect(api.get("/v1/facilities?limit=2&cursor=" + first.json().getString("nextCursor"),
        admin), 200);
    assertThat(names(second)).containsExactly("Riverside North");
    assertThat(second.json().getString("nextCursor")).isNull();

    String path = "/v1/facilities/" + id;
    expect(api.patch(path, admin, new JsonObject().put("timeZone", null), null), 428);
    expect(api.patch(path, admin, new JsonObject().put("timeZone", null), "\"7\""), 412);
    JsonObject changed = expect(api.patch(path, admin, new JsonObject().put("timeZone", null), "\"1\""), 200).json();
    assertThat(changed.containsKey("timeZone")).isFalse();
    assertThat(changed.getInteger("version")).isEqualTo(2);
    expect(api.patch(path, clinic.token(clinic.nurse), new JsonObject().put("name", "Mine"), "\"2\""), 403);
    assertThat(expect(api.post(path + "/close", admin, null), 200).json().getString("status")).isEqualTo("closed");
    assertThat(expect(api.post(path + "/close", admin, null), 200).json().getString("status")).isEqualTo("closed");
    expect(api.get("/v1/facilities/" + UUID.randomUUID(), admin), 404);
    expect(api.post("/v1/facilities", clinic.token(clinic.desk), new JsonObject().put("name", "Desk's own")), 403);
  }

  @Test
  void aFacilityHasDepartmentsAndServiceLines() {
    String facility = facility("Riverside Main");
    String base = "/v1/facilities/" + facility + "/departments";
    expect(api.post(base, admin, new JsonObject().put("name", "Cardiology")), 201);
    expect(api.post(base, admin, new JsonObject().put("name", "Oncology").put("kind", "service_line")), 201);
    expect(api.post(base, admin, new JsonObject().put("name", "cardiology")), 409);
    JsonArray items = expect(api.get(base, clinic.token(clinic.doctor)), 200).items();
    assertThat(items.stream().map(d -> ((JsonObject) d).getString("kind"))).containsExactly("department",
        "service_line");
    expect(api.get("/v1/facilities/" + UUID.randomUUID() + "/departments", admin), 404);
  }

  @Test
  void aDepartmentIsReadChangedAndClosedWithItsVersion() {
    String facility = facility("Riverside Main");
    String other = facility("Riverside East");
    Api.Response created = expect(api.post("/v1/facilities/" + facility + "/departments", admin,
        new JsonObject().put("name", "Cardiology")), 201);
    String path = created.header("Location");
    assertThat(path).isEqualTo("/v1/facilities/" + facility + "/departments/" + created.json().getString("id"));
    expect(api.post("/v1/facilities/" + facility + "/departments", admin, new JsonObject().put("name", "Oncology")),
        201);
    Api.Response read = expect(api.get(path, clinic.token(clinic.nurse)), 200);
    assertThat(read.header("ETag")).isEqualTo("\"1\"");
    expect(api.get("/v1/facilities/" + other + "/departments/" + created.json().getString("id"), admin), 404);

    JsonObject rename = new JsonObject().put("name", "Heart Centre").put("kind", "service_line");
    expect(api.patch(path, admin, rename, null), 428);
    expect(api.patch(path, admin, rename, "\"9\""), 412);
    expect(api.patch(path, clinic.token(clinic.nurse), rename, "\"1\""), 403);
    expect(api.patch(path, admin, new JsonObject().put("name", "oncology"), "\"1\""), 409);
    JsonObject changed = expect(api.patch(path, admin, rename, "\"1\""), 200).json();
    assertThat(changed.getString("name")).isEqualTo("Heart Centre");
    assertThat(changed.getString("kind")).isEqualTo("service_line");
    assertThat(changed.getInteger("version")).isEqualTo(2);

    expect(api.post(path + "/close", clinic.token(clinic.nurse), null), 403);
    JsonObject closed = expect(api.post(path + "/close", admin, null), 200).json();
    assertThat(closed.getString("status")).isEqualTo("closed");
    assertThat(closed.getInteger("version")).isEqualTo(3);
    assertThat(expect(api.post(path + "/close", admin, null), 200).json().getInteger("version")).isEqualTo(3);
    expect(put("/v1/staff/" + clinic.nurse.id() + "/groups/" + closed.getString("id"), admin), 409);
    expect(api.post("/v1/facilities/" + other + "/departments/" + closed.getString("id") + "/close", admin, null),
        404);
  }

  @Test
  void aCareTeamIsChangedAndClosedAndThenTakesNoOneNew() {
    String facility = facility("Riverside Main");
    Api.Response created = expect(api.post("/v1/care-teams", admin, new JsonObject().put("name", "Wound care")
        .put("facilityId", facility)), 201);
    String path = created.header("Location");
    expect(api.post("/v1/care-teams", admin, new JsonObject().put("name", "Diabetes")), 201);
    expect(put("/v1/staff/" + clinic.nurse.id() + "/groups/" + created.json().getString("id"), admin), 204);
    Api.Response read = expect(api.get(path, clinic.token(clinic.nurse)), 200);
    assertThat(read.header("ETag")).isEqualTo("\"1\"");

    JsonObject change = new JsonObject().put("description", "Leg ulcers").put("facilityId", null);
    expect(api.patch(path, admin, change, "\"2\""), 412);
    expect(api.patch(path, clinic.token(clinic.nurse), change, "\"1\""), 403);
    expect(api.patch(path, admin, new JsonObject().put("facilityId", UUID.randomUUID().toString()), "\"1\""), 404);
    expect(api.patch(path, admin, new JsonObject().put("name", "DIABETES"), "\"1\""), 409);
    JsonObject changed = expect(api.patch(path, admin, change, "\"1\""), 200).json();
    assertThat(changed.getString("description")).isEqualTo("Leg ulcers");
    assertThat(changed.containsKey("facilityId")).isFalse();
    assertThat(changed.getJsonArray("members").getList()).containsExactly(clinic.nurse.id().toString());

    JsonObject closed = expect(api.post(path + "/close", admin, null), 200).json();
    assertThat(closed.getString("status")).isEqualTo("closed");
    assertThat(closed.getJsonArray("members").getList()).containsExactly(clinic.nurse.id().toString());
    expect(api.post(path + "/close", admin, null), 200);
    String patient = clinic.patient("Ulcer", "Uma").getString("id");
    expect(put(path + "/patients/" + patient, admin), 409);
    expect(put("/v1/staff/" + clinic.doctor.id() + "/groups/" + closed.getString("id"), admin), 409);
    JsonObject mine = expect(api.get("/v1/me/groups", clinic.token(clinic.nurse)), 200).json();
    assertThat(mine.getJsonArray("items").getJsonObject(0).getString("status")).isEqualTo("closed");
    expect(api.post("/v1/care-teams/" + UUID.randomUUID() + "/close", admin, null), 404);
  }

  @Test
  void departmentsAndCareTeamsArePagedByNameAndACursorServesOnlyItsOwnListing() {
    String facility = facility("Riverside Main");
    String base = "/v1/facilities/" + facility + "/departments";
    for (String name : List.of("Radiology", "cardiology", "Oncology")) {
      expect(api.post(base, admin, new JsonObject().put("name", name)), 201);
      expect(api.post("/v1/care-teams", admin, new JsonObject().put("name", name + " team")), 201);
    }
    Api.Response first = expect(api.get(base + "?limit=2", admin), 200);
    assertThat(names(first)).containsExactly("cardiology", "Oncology");
    Api.Response second = expect(api.get(base + "?limit=2&cursor=" + first.json().getString("nextCursor"), admin),
        200);
    assertThat(names(second)).containsExactly("Radiology");
    assertThat(second.json().getString("nextCursor")).isNull();

    Api.Response teams = expect(api.get("/v1/care-teams?limit=2", clinic.token(clinic.nurse)), 200);
    assertThat(names(teams)).containsExactly("cardiology team", "Oncology team");
    String cursor = teams.json().getString("nextCursor");
    assertThat(names(expect(api.get("/v1/care-teams?limit=2&cursor=" + cursor, admin), 200)))
        .containsExactly("Radiology team");

    // Another tenant's admin, another facility, another listing: the cursor is refused, never read.
    Clinic other = Clinic.in("us");
    expect(api.get("/v1/care-teams?cursor=" + cursor, other.token(other.admin)), 400);
    String east = facility("Riverside East");
    expect(api.get("/v1/facilities/" + east + "/departments?cursor=" + first.json().getString("nextCursor"),
        admin), 400);
    expect(api.get(base + "?cursor=" + cursor, admin), 400);
    expect(api.get("/v1/care-teams/" + first.items().getJsonObject(0).getString("id"), admin), 404);
  }

  @Test
  void aMembersGroupsAndAPatientsFacilitiesAndCareTeamsArePagedByNameAndACursorServesOnlyItsOwnListing() {
    String north = facility("North Site");
    String alpha = facility("alpha Site");
    String cardiology = expect(api.post("/v1/facilities/" + north + "/departments", admin,
        new JsonObject().put("name", "Cardiology")), 201).json().getString("id");
    String wounds = expect(api.post("/v1/care-teams", admin, new JsonObject().put("name", "Wounds")), 201).json()
        .getString("id");
    String burns = expect(api.post("/v1/care-teams", admin, new JsonObject().put("name", "burns")), 201).json()
        .getString("id");
    for (String group : List.of(north, alpha, cardiology, wounds)) {
      expect(put("/v1/staff/" + clinic.nurse.id() + "/groups/" + group, admin), 204);
    }
    String groups = "/v1/staff/" + clinic.nurse.id() + "/groups";
    Api.Response first = expect(api.get(groups + "?limit=3", admin), 200);
    assertThat(names(first)).containsExactly("alpha Site", "Cardiology", "North Site");
    Api.Response rest = expect(api.get(groups + "?limit=3&cursor=" + first.json().getString("nextCursor"), admin),
        200);
    assertThat(names(rest)).containsExactly("Wounds");
    assertThat(rest.json().getString("nextCursor")).isNull();

    String patient = clinic.patient("Pager", "Pat").getString("id");
    for (String site : List.of(north, alpha)) {
      expect(put("/v1/patients/" + patient + "/facilities/" + site, admin), 204);
    }
    for (String team : List.of(wounds, burns)) {
      expect(put("/v1/care-teams/" + team + "/patients/" + patient, admin), 204);
    }
    String nurse = clinic.token(clinic.nurse);
    String sites = "/v1/patients/" + patient + "/facilities";
    Api.Response site = expect(api.get(sites + "?limit=1", nurse), 200);
    assertThat(names(site)).containsExactly("alpha Site");
    String siteCursor = site.json().getString("nextCursor");
    assertThat(names(expect(api.get(sites + "?limit=1&cursor=" + siteCursor, nurse), 200)))
        .containsExactly("North Site");
    String teams = "/v1/patients/" + patient + "/care-teams";
    Api.Response team = expect(api.get(teams + "?limit=1", nurse), 200);
    assertThat(names(team)).containsExactly("burns");
    String teamCursor = team.json().getString("nextCursor");
    Api.Response lastTeam = expect(api.get(teams + "?limit=1&cursor=" + teamCursor, nurse), 200);
    assertThat(names(lastTeam)).containsExactly("Wounds");
    assertThat(lastTeam.json().getString("nextCursor")).isNull();

    // Another listing, another patient or member, another tenant: the cursor is refused, never read.
    expect(api.get(teams + "?cursor=" + siteCursor, nurse), 400);
    expect(api.get(sites + "?cursor=" + teamCursor, nurse), 400);
    expect(api.get(groups + "?cursor=" + siteCursor, admin), 400);
    String another = clinic.patient("Other", "Olive").getString("id");
    expect(api.get("/v1/patients/" + another + "/facilities?cursor=" + siteCursor, nurse), 400);
    expect(api.get("/v1/staff/" + clinic.doctor.id() + "/groups?cursor=" + first.json().getString("nextCursor"),
        admin), 400);
    Clinic other = Clinic.in("us");
    String theirs = other.patient("Other", "Oscar").getString("id");
    expect(api.get("/v1/patients/" + theirs + "/facilities?cursor=" + siteCursor, other.token(other.admin)), 400);
    expect(api.get("/v1/patients/" + theirs + "/care-teams?cursor=" + teamCursor, other.token(other.admin)), 400);
    expect(api.get("/v1/staff/" + other.nurse.id() + "/groups?cursor=" + first.json().getString("nextCursor"),
        other.token(other.admin)), 400);
    expect(api.get(sites, other.token(other.admin)), 404);
    expect(api.get(groups, other.token(other.admin)), 404);
    expect(api.get(sites + "?limit=0", nurse), 400);

    // Taken out of a group, unregistered from a site: gone from the listings.
    expect(api.delete(groups + "/" + wounds, nurse), 403);
    expect(api.delete(groups + "/" + wounds, admin), 204);
    assertThat(names(expect(api.get(groups, admin), 200))).containsExactly("alpha Site", "Cardiology", "North Site");
    expect(api.delete(sites + "/" + north, admin), 204);
    assertThat(names(expect(api.get(sites, nurse), 200))).containsExactly("alpha Site");
  }

  @Test
  void aCareTeamsPatientsArePagedInIdOrderAndAudited() {
    String team = expect(api.post("/v1/care-teams", admin, new JsonObject().put("name", "Falls")), 201).json()
        .getString("id");
    List<String> patients = new java.util.ArrayList<>();
    for (String family : List.of("Faller", "Tripp", "Slipper")) {
      String patient = clinic.patient(family, "Flo").getString("id");
      expect(put("/v1/care-teams/" + team + "/patients/" + patient, admin), 204);
      patients.add(patient);
    }
    String base = "/v1/care-teams/" + team + "/patients";
    Api.Response first = expect(api.get(base + "?limit=2", clinic.token(clinic.doctor)), 200);
    Api.Response second = expect(api.get(base + "?limit=2&cursor=" + first.json().getString("nextCursor"),
        clinic.token(clinic.doctor)), 200);
    assertThat(second.json().getString("nextCursor")).isNull();
    List<String> listed = new java.util.ArrayList<>(patientIds(first));
    listed.addAll(patientIds(second));
    assertThat(listed).containsExactlyElementsOf(patients.stream().sorted().toList());
    expect(api.get(base + "?cursor=" + first.json().getString("nextCursor"), admin), 200);
    String other = expect(api.post("/v1/care-teams", admin, new JsonObject().put("name", "Other")), 201).json()
        .getString("id");
    expect(api.get("/v1/care-teams/" + other + "/patients?cursor=" + first.json().getString("nextCursor"), admin),
        400);
    expect(api.get("/v1/care-teams/" + UUID.randomUUID() + "/patients", admin), 404);
    List<String> sorted = patients.stream().sorted().toList();
    Await.until(() -> AuditRows.of(platform, clinic.tenant, "care_team.patient_list"),
        rows -> rows.contains(AuditRows.row("care_team", team, sorted.subList(0, 2), "success", null)));
  }

  @Test
  void aTenantRoleWithOrganisationManageRunsTheOrganisationAndOneWithoutCannot() {
    String facility = facility("Riverside Main");
    String roles = "/v1/tenants/" + clinic.tenant.id() + "/roles";
    String organiser = expect(api.post(roles, admin, new JsonObject().put("name", "Organiser")
        .put("permissions", List.of("organisation.manage"))), 201).json().getString("id");
    String reader = expect(api.post(roles, admin, new JsonObject().put("name", "Reader")
        .put("permissions", List.of("organisation.read"))), 201).json().getString("id");
    TestUser withRole = platform.user(clinic.tenant, "receptionist");
    TestUser without = platform.user(clinic.tenant, "receptionist");
    assign(withRole, organiser);
    assign(without, reader);
    String base = "/v1/facilities/" + facility + "/departments";
    expect(api.post(base, clinic.token(withRole), new JsonObject().put("name", "Cardiology")), 201);
    expect(api.post(base, clinic.token(without), new JsonObject().put("name", "Oncology")), 403);
    expect(api.post("/v1/care-teams", clinic.token(withRole), new JsonObject().put("name", "Wound care")), 201);
    expect(api.post("/v1/care-teams", clinic.token(without), new JsonObject().put("name", "Falls")), 403);
    // Placing staff widens what they see: that stays tenant.users.manage's.
    expect(put("/v1/staff/" + without.id() + "/groups/" + facility, clinic.token(withRole)), 403);
    // Rooms have their own permission, which the tenant admin holds and the organiser does not.
    JsonObject room = new JsonObject().put("facilityId", facility).put("name", "Exam 1");
    expect(api.post("/v1/rooms", clinic.token(withRole), room), 403);
    expect(api.post("/v1/rooms", admin, room), 201);
    JsonObject me = expect(api.get("/v1/auth/me/permissions", admin), 200).json();
    assertThat(me.encode()).contains("organisation.manage", "organisation.read", "room.manage");
  }

  @Test
  void aChangeOfTheAccessPolicyIsRecordedWithThePolicyBeforeAndAfter() {
    expect(ifMatch("PUT", "/v1/tenant/access-policy", admin, new JsonObject().put("scope", "facility"), "\"0\""),
        200);
    expect(ifMatch("PUT", "/v1/tenant/access-policy", admin, new JsonObject().put("groupView", "switchable")
        .put("breakGlassMinutes", 30), "\"1\""), 200);
    List<Map<String, Object>> changes = Sql.query(platform.owner("global"), """
        SELECT action, object_type, object_id::text AS object, before::text AS before, after::text AS after
        FROM access_change WHERE tenant_id = ? ORDER BY at, id""", clinic.tenant.id().value());
    assertThat(changes).extracting(c -> c.get("action")).containsExactly("access_policy.update",
        "access_policy.update");
    assertThat(changes).allSatisfy(c -> assertThat(c.get("object")).isEqualTo(clinic.tenant.id().value().toString()));
    JsonObject firstBefore = new JsonObject((String) changes.get(0).get("before"));
    JsonObject firstAfter = new JsonObject((String) changes.get(0).get("after"));
    assertThat(firstBefore.getString("scope")).isEqualTo("off");
    assertThat(firstBefore.getInteger("version")).isZero();
    assertThat(firstAfter.getString("scope")).isEqualTo("facility");
    JsonObject secondBefore = new JsonObject((String) changes.get(1).get("before"));
    JsonObject secondAfter = new JsonObject((String) changes.get(1).get("after"));
    assertThat(secondBefore.getString("groupView")).isEqualTo("combined");
    assertThat(secondAfter.getString("groupView")).isEqualTo("switchable");
    assertThat(secondAfter.getInteger("breakGlassMinutes")).isEqualTo(30);
    // A refused change records nothing.
    expect(ifMatch("PUT", "/v1/tenant/access-policy", admin, new JsonObject().put("scope", "off"), "\"1\""), 412);
    assertThat(Sql.query(platform.owner("global"), "SELECT 1 FROM access_change WHERE tenant_id = ?",
        clinic.tenant.id().value())).hasSize(2);
  }

  @Test
  void aCareTeamGroupsStaffAndPatients() {
    String team = expect(api.post("/v1/care-teams", admin, new JsonObject().put("name", "Diabetes")
        .put("description", "Type 2 follow-up")), 201).json().getString("id");
    String patient = clinic.patient("Sugarman", "Sam").getString("id");
    expect(put("/v1/staff/" + clinic.nurse.id() + "/groups/" + team, admin), 204);
    expect(put("/v1/staff/" + clinic.nurse.id() + "/groups/" + team, admin), 204);
    expect(put("/v1/care-teams/" + team + "/patients/" + patient, admin), 204);
    JsonObject read = expect(api.get("/v1/care-teams/" + team, clinic.token(clinic.nurse)), 200).json();
    assertThat(read.getJsonArray("members").getList()).containsExactly(clinic.nurse.id().toString());
    JsonArray teams = expect(api.get("/v1/patients/" + patient + "/care-teams", clinic.token(clinic.nurse)), 200)
        .items();
    assertThat(teams.stream().map(t -> ((JsonObject) t).getString("id"))).containsExactly(team);
    expect(api.delete("/v1/care-teams/" + team + "/patients/" + patient, admin), 204);
    assertThat(expect(api.get("/v1/patients/" + patient + "/care-teams", admin), 200).items()).isEmpty();
    expect(put("/v1/care-teams/" + team + "/patients/" + UUID.randomUUID(), admin), 404);
    expect(put("/v1/staff/" + clinic.nurse.id() + "/groups/" + UUID.randomUUID(), admin), 404);
    expect(put("/v1/staff/" + UUID.randomUUID() + "/groups/" + team, admin), 404);
    expect(put("/v1/staff/" + clinic.nurse.id() + "/groups/" + team, clinic.token(clinic.nurse)), 403);
  }

  @Test
  void theScopedPolicyKeepsANurseToThePatientsOfHerFacility() {
    String main = facility("Riverside Main");
    String east = facility("Riverside East");
    TestUser nurse = platform.user(clinic.tenant, "nurse");
    expect(put("/v1/staff/" + nurse.id() + "/groups/" + main, admin), 204);
    String atMain = clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Mainly"))
        .put("facilityId", main)).getString("id");
    String atEast = clinic.patient("Easterly", "Eve").getString("id");
    expect(put("/v1/patients/" + atEast + "/facilities/" + east, admin), 204);
    JsonObject policy = expect(api.get("/v1/tenant/access-policy", admin), 200).json();
    assertThat(policy.getString("scope")).isEqualTo("off");
    assertThat(policy.getInteger("breakGlassMinutes")).isEqualTo(60);
    String token = clinic.token(nurse);
    expect(api.get("/v1/patients/" + atEast, token), 200);

    expect(ifMatch("PUT", "/v1/tenant/access-policy", admin, new JsonObject().put("scope", "facility"), "\"3\""), 412);
    expect(ifMatch("PUT", "/v1/tenant/access-policy", token, new JsonObject().put("scope", "facility"), "\"0\""), 403);
    expect(ifMatch("PUT", "/v1/tenant/access-policy", admin, new JsonObject().put("scope", "facility"), "\"0\""), 200);
    expect(api.get("/v1/patients/" + atMain, token), 200);
    expect(api.get("/v1/patients/" + atEast, token), 404);
    expect(api.get("/v1/patients/" + atEast + "/facilities", token), 404);
    assertThat(expect(api.get("/v1/patients/" + atMain + "/facilities", token), 200).items().stream()
        .map(f -> ((JsonObject) f).getString("id"))).containsExactly(main);
    expect(put("/v1/patients/" + atEast + "/facilities/" + main, clinic.token(clinic.desk)), 404);

    // A patient the nurse's desk colleague registers without naming a facility lands at the only one in force.
    TestUser desk = platform.user(clinic.tenant, "receptionist");
    expect(put("/v1/staff/" + desk.id() + "/groups/" + main, admin), 204);
    String walkIn = expect(api.post("/v1/patients", clinic.token(desk), new JsonObject()
        .put("name", new JsonObject().put("family", "Walker"))), 201).json().getString("id");
    expect(api.get("/v1/patients/" + walkIn, token), 200);
    // The same with an Idempotency-Key: the facility is read behind the key's claim, before the create runs; a
    // retry replays the first reply and registers no second patient.
    Map<String, String> key = Map.of("Idempotency-Key", "walk-in-" + UUID.randomUUID());
    JsonObject keyed = new JsonObject().put("name", new JsonObject().put("family", "Keyed"));
    String keyedWalkIn = expect(api.post("/v1/patients", clinic.token(desk), keyed, key), 201).json().getString("id");
    expect(api.get("/v1/patients/" + keyedWalkIn, token), 200);
    var replayed = expect(api.post("/v1/patients", clinic.token(desk), keyed, key), 201);
    assertThat(replayed.json().getString("id")).isEqualTo(keyedWalkIn);
    assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
    expect(api.post("/v1/patients", clinic.token(clinic.desk), new JsonObject()
        .put("name", new JsonObject().put("family", "Nowhere")), Map.of("Idempotency-Key", "nowhere")), 422);
    expect(api.post("/v1/patients", clinic.token(clinic.desk), new JsonObject()
        .put("name", new JsonObject().put("family", "Nowhere"))), 422);
    expect(api.post("/v1/patients", clinic.token(desk), new JsonObject()
        .put("name", new JsonObject().put("family", "Ghost")).put("facilityId", UUID.randomUUID().toString())), 422);
  }

  @Test
  void aSwitchableMemberChoosesTheGroupTheirSessionWorksIn() {
    String main = facility("Riverside Main");
    String east = facility("Riverside East");
    TestUser nurse = platform.user(clinic.tenant, "nurse");
    expect(put("/v1/staff/" + nurse.id() + "/groups/" + main, admin), 204);
    expect(put("/v1/staff/" + nurse.id() + "/groups/" + east, admin), 204);
    String atEast = clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Easton"))
        .put("facilityId", east)).getString("id");
    expect(ifMatch("PUT", "/v1/tenant/access-policy", admin, new JsonObject().put("scope", "facility")
        .put("groupView", "switchable"), "\"0\""), 200);
    String session = platform.login(nurse).json().getString("accessToken");
    JsonObject mine = expect(api.get("/v1/me/groups", session), 200).json();
    assertThat(mine.getString("groupView")).isEqualTo("switchable");
    assertThat(mine.containsKey("activeGroupId")).isFalse();
    assertThat(mine.getJsonArray("items")).hasSize(2);
    expect(api.get("/v1/patients/" + atEast, session), 404);
    JsonObject chosen = expect(api.put("/v1/me/active-group", session, new JsonObject().put("groupId", east)), 200)
        .json();
    assertThat(chosen.getString("activeGroupId")).isEqualTo(east);
    expect(api.get("/v1/patients/" + atEast, session), 200);
    expect(api.put("/v1/me/active-group", session, new JsonObject().put("groupId", main)), 200);
    expect(api.get("/v1/patients/" + atEast, session), 404);
    expect(api.put("/v1/me/active-group", session, new JsonObject().put("groupId", UUID.randomUUID().toString())),
        404);
    assertThat(expect(api.get("/v1/staff/" + nurse.id() + "/groups", admin), 200).items()).hasSize(2);
  }

  private void assign(TestUser user, String roleId) {
    expect(api.put("/v1/tenants/" + clinic.tenant.id() + "/users/" + user.id() + "/tenant-roles", admin,
        new JsonObject().put("roleIds", List.of(roleId))), 200);
  }

  private String facility(String name) {
    return expect(api.post("/v1/facilities", admin, new JsonObject().put("name", name)), 201).json().getString("id");
  }

  private Api.Response put(String path, String token) {
    return api.send("PUT", path, token, null, Map.of());
  }

  private Api.Response ifMatch(String method, String path, String token, JsonObject body, String version) {
    return api.send(method, path, token, body.encode(), Map.of("If-Match", version));
  }

  private static List<String> patientIds(Api.Response page) {
    return page.items().stream().map(p -> ((JsonObject) p).getString("patientId")).toList();
  }

  private static List<String> names(Api.Response page) {
    return page.items().stream().map(f -> ((JsonObject) f).getString("name")).toList();
  }
}
