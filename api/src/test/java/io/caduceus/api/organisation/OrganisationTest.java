package io.caduceus.api.organisation;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
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

  private String facility(String name) {
    return expect(api.post("/v1/facilities", admin, new JsonObject().put("name", name)), 201).json().getString("id");
  }

  private Api.Response put(String path, String token) {
    return api.send("PUT", path, token, null, Map.of());
  }

  private Api.Response ifMatch(String method, String path, String token, JsonObject body, String version) {
    return api.send(method, path, token, body.encode(), Map.of("If-Match", version));
  }

  private static List<String> names(Api.Response page) {
    return page.items().stream().map(f -> ((JsonObject) f).getString("name")).toList();
  }
}
