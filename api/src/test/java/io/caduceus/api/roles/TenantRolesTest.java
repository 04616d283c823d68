package io.caduceus.api.roles;

import io.caduceus.api.access.Permission;
import io.caduceus.api.access.PermissionCatalogue;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.AuditRows;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Tenant roles, per-member grants, the catalogue and effective permissions, through the API (issue 15). */
class TenantRolesTest extends ClinicFixture {

  /**
   * The clinic's practice manager: a tenant admin who also works the front desk. A tenant admin alone may not
   * book (it runs the organisation), so no role or grant of theirs may either: that is the escalation rule.
   */
  private TestUser manager;

  @BeforeEach
  void aPracticeManager() {
    manager = platform.user(clinic.tenant, "tenant_admin", "receptionist");
  }

  private String roles() {
    return "/v1/tenants/" + clinic.tenant.id() + "/roles";
  }

  private String member(TestUser user, String what) {
    return "/v1/tenants/" + clinic.tenant.id() + "/users/" + user.id() + "/" + what;
  }

  private JsonObject chargeNurse(String admin) {
    return expect(api.post(roles(), admin, new JsonObject().put("name", "Charge nurse")
        .put("description", "Runs the ward's schedule").put("basedOn", "nurse")
        .put("permissions", List.of("appointment.book", "appointment.reschedule"))), 201).json();
  }

  private Api.Response book(String token, String patientId) {
    Instant start = Clinic.nextSlot();
    return api.post("/v1/appointments", token, new JsonObject().put("patientId", patientId)
        .put("practitionerId", clinic.practitionerId).put("start", start.toString())
        .put("end", start.plus(30, ChronoUnit.MINUTES).toString()));
  }

  @Test
  void aChargeNurseBooksUntilTheRoleLosesBookingAndIsRefusedOnTheVeryNextRequest() {
    String admin = clinic.token(manager);
    String nurse = clinic.token(clinic.nurse);
    String patient = clinic.patient("Ward", "Ada").getString("id");
    expect(book(nurse, patient), 403);

    Api.Response created = expect(api.post(roles(), admin, new JsonObject().put("name", "Charge nurse")
        .put("basedOn", "nurse").put("permissions", List.of("appointment.book", "appointment.reschedule"))), 201);
    JsonObject role = created.json();
    assertThat(created.header("Location")).isEqualTo(roles() + "/" + role.getString("id"));
    assertThat(role.getJsonArray("patientSections")).containsExactly("demographics", "contact", "clinical");
    expect(api.put(member(clinic.nurse, "tenant-roles"), admin,
        new JsonObject().put("roleIds", List.of(role.getString("id")))), 200);
    expect(book(nurse, patient), 201);

    expect(api.send("PUT", roles() + "/" + role.getString("id"), admin, new JsonObject().put("name", "Charge nurse")
        .put("basedOn", "nurse").put("permissions", List.of("appointment.reschedule")).encode(),
        Map.of("If-Match", created.header("ETag"))), 200);
    expect(book(nurse, patient), 403);

    expect(api.delete(roles() + "/" + role.getString("id"), admin), 204);
    expect(api.get(roles() + "/" + role.getString("id"), admin), 404);
    assertThat(expect(api.get(member(clinic.nurse, "tenant-roles"), admin), 200).items()).isEmpty();
  }

  @Test
  void anUnassignedRoleStopsOnTheNextRequest() {
    String admin = clinic.token(manager);
    String nurse = clinic.token(clinic.nurse);
    String patient = clinic.patient("Ward", "Bea").getString("id");
    String id = chargeNurse(admin).getString("id");
    expect(api.put(member(clinic.nurse, "tenant-roles"), admin, new JsonObject().put("roleIds", List.of(id))), 200);
    expect(book(nurse, patient), 201);
    expect(api.put(member(clinic.nurse, "tenant-roles"), admin, new JsonObject().put("roleIds", List.of())), 200);
    expect(book(nurse, patient), 403);
  }

  @Test
  void anAdminCannotPutInARolePermissionsTheyLackNorThePlatformsNorPatients() {
    String admin = clinic.token(clinic.admin);
    Api.Response lacking = expect(api.post(roles(), admin, new JsonObject().put("name", "Snoop")
        .put("permissions", List.of("patient.clinical.read"))), 403);
    assertThat(lacking.json().getString("detail")).contains("patient.clinical.read");
    expect(api.post(roles(), admin, new JsonObject().put("name", "Sections")
        .put("permissions", List.of()).put("patientSections", List.of("clinical"))), 403);
    // A section the base role already shows is the base role's: an admin without clinical read may still base a
    // role on nurse and list the sections it shows (the README's Charge nurse).
    expect(api.post(roles(), admin, new JsonObject().put("name", "Ward nurse").put("basedOn", "nurse")
        .put("permissions", List.of()).put("patientSections", List.of("demographics", "contact", "clinical"))), 201);
    Api.Response platform = expect(api.post(roles(), admin, new JsonObject().put("name", "Owner")
        .put("permissions", List.of("platform.tenants.manage"))), 422);
    assertThat(platform.header("Content-Type")).startsWith("application/problem+json");
    assertThat(platform.json().getString("detail")).contains("platform.tenants.manage");
    expect(api.post(roles(), admin, new JsonObject().put("name", "Portal")
        .put("permissions", List.of("portal"))), 422);
    expect(api.post(roles(), admin, new JsonObject().put("name", "Unknown")
        .put("permissions", List.of("patient.everything"))), 400);

    Api.Response ok = expect(api.post(roles(), admin, new JsonObject().put("name", "Front")
        .put("permissions", List.of("appointment.read"))), 201);
    expect(api.send("PUT", roles() + "/" + ok.json().getString("id"), admin, new JsonObject().put("name", "Front")
        .put("permissions", List.of("appointment.read", "patient.clinical.read")).encode(),
        Map.of("If-Match", ok.header("ETag"))), 403);
    expect(api.send("PUT", roles() + "/" + ok.json().getString("id"), admin, new JsonObject().put("name", "Front")
        .put("permissions", List.of("appointment.read")).encode(), Map.of("If-Match", "\"99\"")), 412);
    expect(api.post(roles(), admin, new JsonObject().put("name", "FRONT").put("permissions", List.of())), 409);
    expect(api.post(roles(), clinic.token(clinic.nurse), new JsonObject().put("name", "Mine")
        .put("permissions", List.of())), 403);
  }

  @Test
  void patientSectionsThatContradictThePermissionsAreRefused() {
    String admin = clinic.token(manager);
    expect(api.post(roles(), admin, new JsonObject().put("name", "Nurse lite").put("basedOn", "nurse")
        .put("permissions", List.of()).put("patientSections", List.of("demographics", "contact"))), 422);
    JsonObject desk = expect(api.post(roles(), admin, new JsonObject().put("name", "Desk lite")
        .put("permissions", List.of("patient.read")).put("patientSections", List.of("demographics", "contact"))),
        201).json();
    assertThat(desk.getJsonArray("permissions")).containsExactly("patient.contact.read", "patient.read");
    expect(api.post(roles(), admin, new JsonObject().put("name", "Desk odd")
        .put("permissions", List.of("patient.read", "patient.insurance.read"))
        .put("patientSections", List.of("demographics"))), 422);
  }

  @Test
  void theFieldProjectionOfAMemberFollowsTheirTenantRole() {
    String admin = clinic.token(manager);
    String patient = clinic.patient("Proj", "Ed").getString("id");
    TestUser clerk = platform.user(clinic.tenant, "lab_technician");
    String token = clinic.token(clerk);
    JsonObject before = expect(api.get("/v1/patients/" + patient, token), 200).json();
    assertThat(before.containsKey("insurance")).isFalse();
    String id = expect(api.post(roles(), admin, new JsonObject().put("name", "Insurance clerk")
        .put("permissions", List.of()).put("patientSections", List.of("insurance"))), 201).json().getString("id");
    expect(api.put(member(clerk, "tenant-roles"), admin, new JsonObject().put("roleIds", List.of(id))), 200);
    JsonObject after = expect(api.get("/v1/patients/" + patient, token), 200).json();
    assertThat(after.fieldNames()).containsAll(before.fieldNames());
    assertThat(after.fieldNames()).contains("insurance");
  }

  @Test
  void aGrantWorksUntilItExpiresOrIsRevokedAndAScopedOneNotWithoutItsGroup() {
    String admin = clinic.token(manager);
    String nurse = clinic.token(clinic.nurse);
    String patient = clinic.patient("Grant", "Cy").getString("id");
    Instant soon = Instant.now().plusSeconds(4);
    Api.Response expiring = expect(api.post(member(clinic.nurse, "grants"), admin, new JsonObject()
        .put("permission", "appointment.book").put("expiresAt", soon.toString())), 201);
    assertThat(expiring.header("Location")).isEqualTo(member(clinic.nurse, "grants") + "/"
        + expiring.json().getString("id"));
    expect(book(nurse, patient), 201);
    Await.until(() -> book(nurse, patient).status(), s -> s == 403, Duration.ofSeconds(60));
    assertThat(Instant.now()).isAfterOrEqualTo(soon);

    String grant = expect(api.post(member(clinic.nurse, "grants"), admin,
        new JsonObject().put("permission", "appointment.book")), 201).json().getString("id");
    expect(book(nurse, patient), 201);
    expect(api.delete(member(clinic.nurse, "grants") + "/" + grant, admin), 204);
    expect(book(nurse, patient), 403);
    assertThat(expect(api.get(member(clinic.nurse, "grants") + "/" + grant, admin), 200).json()
        .containsKey("revokedAt")).isTrue();

    expect(api.post(member(clinic.nurse, "grants"), admin, new JsonObject().put("permission", "appointment.book")
        .put("scope", new JsonObject().put("kind", "facility").put("id", UUID.randomUUID().toString()))), 201);
    expect(book(nurse, patient), 403);

    expect(api.post(member(clinic.nurse, "grants"), admin, new JsonObject().put("permission", "appointment.book")
        .put("expiresAt", Instant.now().minusSeconds(60).toString())), 422);
    expect(api.post(member(clinic.nurse, "grants"), admin,
        new JsonObject().put("permission", "patient.clinical.read")), 403);
    expect(api.post(member(clinic.nurse, "grants"), admin,
        new JsonObject().put("permission", "platform.tenants.manage")), 422);
    assertThat(expect(api.get(member(clinic.nurse, "grants"), admin), 200).items()).hasSize(3);
  }

  /**
   * A grant limited to a care team is in force while the member's team is (GroupsInForce): once the team is closed,
   * the member's very next request, with the same token and no new login, no longer holds it.
   */
  @Test
  void aGrantLimitedToACareTeamStopsOnTheNextRequestOnceTheTeamIsClosed() {
    String admin = clinic.token(clinic.admin);
    String nurse = clinic.token(clinic.nurse);
    String patient = clinic.patient("Closing", "Cal").getString("id");
    String team = expect(api.post("/v1/care-teams", admin, new JsonObject().put("name", "Night shift")), 201).json()
        .getString("id");
    expect(api.send("PUT", "/v1/staff/" + clinic.nurse.id() + "/groups/" + team, admin, null, Map.of()), 204);
    String grant = expect(api.post(member(clinic.nurse, "grants"), clinic.token(manager), new JsonObject()
        .put("permission", "appointment.book").put("scope", new JsonObject().put("kind", "care_team")
            .put("id", team))), 201).json().getString("id");
    expect(book(nurse, patient), 201);

    expect(api.post("/v1/care-teams/" + team + "/close", admin, null), 200);
    expect(book(nurse, patient), 403);
    // The grant itself stands (not revoked, not expired): only its group is no longer in force.
    JsonObject stored = expect(api.get(member(clinic.nurse, "grants") + "/" + grant, clinic.token(manager)), 200)
        .json();
    assertThat(stored.containsKey("revokedAt")).isFalse();
    assertThat(stored.getJsonObject("scope").getString("id")).isEqualTo(team);
  }

  @Test
  void aRemovedMemberLeavesTheirTenantRolesAndGrantsBehind() {
    String admin = clinic.token(manager);
    TestUser leaving = platform.user(clinic.tenant, "nurse");
    String id = chargeNurse(admin).getString("id");
    expect(api.put(member(leaving, "tenant-roles"), admin, new JsonObject().put("roleIds", List.of(id))), 200);
    expect(api.post(member(leaving, "grants"), admin, new JsonObject().put("permission", "appointment.read")), 201);
    expect(api.delete("/v1/tenants/" + clinic.tenant.id() + "/users/" + leaving.id(), admin), 204);
    assertThat(Sql.query(platform.owner("global"), "SELECT 1 FROM member_tenant_role WHERE user_id = ?",
        leaving.id())).isEmpty();
    assertThat(Sql.query(platform.owner("global"), "SELECT 1 FROM member_grant WHERE user_id = ? AND revoked_at IS"
        + " NULL", leaving.id())).isEmpty();
    expect(api.get(member(leaving, "permissions"), admin), 404);
  }

  @Test
  void anotherTenantCannotSeeNorAssignThisTenantsRolesOrGrants() {
    String admin = clinic.token(manager);
    String roleId = chargeNurse(admin).getString("id");
    String grantId = expect(api.post(member(clinic.nurse, "grants"), admin,
        new JsonObject().put("permission", "appointment.read")), 201).json().getString("id");
    Clinic other = Clinic.in("us");
    String otherAdmin = other.token(other.admin);
    String otherRoles = "/v1/tenants/" + other.tenant.id() + "/roles/";
    expect(api.get(otherRoles + roleId, otherAdmin), 404);
    expect(api.delete(otherRoles + roleId, otherAdmin), 404);
    expect(api.put("/v1/tenants/" + other.tenant.id() + "/users/" + other.nurse.id() + "/tenant-roles", otherAdmin,
        new JsonObject().put("roleIds", List.of(roleId))), 404);
    expect(api.put("/v1/tenants/" + other.tenant.id() + "/users/" + clinic.nurse.id() + "/tenant-roles", otherAdmin,
        new JsonObject().put("roleIds", List.of())), 404);
    expect(api.get("/v1/tenants/" + other.tenant.id() + "/users/" + clinic.nurse.id() + "/grants/" + grantId,
        otherAdmin), 404);
    expect(api.delete("/v1/tenants/" + other.tenant.id() + "/users/" + clinic.nurse.id() + "/grants/" + grantId,
        otherAdmin), 404);
    expect(api.get("/v1/tenants/" + other.tenant.id() + "/users/" + clinic.nurse.id() + "/permissions",
        otherAdmin), 404);
    assertThat(expect(api.get("/v1/tenants/" + other.tenant.id() + "/roles", otherAdmin), 200).items()).isEmpty();
    expect(api.get(roles() + "/" + roleId, otherAdmin), 403);
  }

  @Test
  void effectivePermissionsShowWhereEachComesFrom() {
    String admin = clinic.token(manager);
    String id = chargeNurse(admin).getString("id");
    expect(api.put(member(clinic.nurse, "tenant-roles"), admin, new JsonObject().put("roleIds", List.of(id))), 200);
    String grant = expect(api.post(member(clinic.nurse, "grants"), admin, new JsonObject()
        .put("permission", "appointment.cancel").put("expiresAt", Instant.now().plusSeconds(3600).toString())),
        201).json().getString("id");
    expect(api.post(member(clinic.nurse, "grants"), admin, new JsonObject().put("permission", "appointment.delete")
        .put("scope", new JsonObject().put("kind", "care_team").put("id", UUID.randomUUID().toString()))), 201);

    for (JsonObject view : List.of(expect(api.get("/v1/auth/me/permissions", clinic.token(clinic.nurse)), 200).json(),
        expect(api.get(member(clinic.nurse, "permissions"), admin), 200).json())) {
      assertThat(view.getJsonArray("baseRoles")).containsExactly("nurse");
      assertThat(sources(view, "vitals.write")).containsExactly("base_role:nurse", "tenant_role:Charge nurse");
      assertThat(sources(view, "appointment.book")).containsExactly("tenant_role:Charge nurse");
      assertThat(sources(view, "appointment.cancel")).containsExactly("grant:" + grant);
      assertThat(sources(view, "appointment.delete")).isEmpty();
      assertThat(view.getJsonArray("grantsNotInForce")).hasSize(1);
    }
    expect(api.get("/v1/auth/me/permissions", clinic.token(clinic.admin)), 200);
    expect(api.get("/v1/tenants/" + clinic.tenant.id() + "/users/" + clinic.nurse.id() + "/permissions",
        clinic.token(clinic.nurse)), 403);
  }

  /**
   * Both permissions views resolve a grant limited to a group as a request does (GroupsInForce): in force for her
   * own facility and care team, not for another facility, and no longer once her care team is closed.
   */
  @Test
  void aGroupLimitedGrantShowsInForceInBothViewsExactlyWhileItsGroupIsInForce() {
    String admin = clinic.token(clinic.admin);
    String manages = clinic.token(manager);
    String nurse = clinic.token(clinic.nurse);
    String main = group("/v1/facilities", "Riverside Main");
    String east = group("/v1/facilities", "Riverside East");
    String team = group("/v1/care-teams", "Wound care");
    expect(api.send("PUT", "/v1/staff/" + clinic.nurse.id() + "/groups/" + main, admin, null, Map.of()), 204);
    expect(api.send("PUT", "/v1/staff/" + clinic.nurse.id() + "/groups/" + team, admin, null, Map.of()), 204);
    String atMain = scopedGrant(manages, "appointment.book", "facility", main);
    String atEast = scopedGrant(manages, "appointment.cancel", "facility", east);
    String inTeam = scopedGrant(manages, "appointment.delete", "care_team", team);
    expect(book(nurse, clinic.patient("Scoped", "Sam").getString("id")), 201);

    for (JsonObject view : List.of(expect(api.get("/v1/auth/me/permissions", nurse), 200).json(),
        expect(api.get(member(clinic.nurse, "permissions"), manages), 200).json())) {
      assertThat(sources(view, "appointment.book")).containsExactly("grant:" + atMain);
      assertThat(sources(view, "appointment.delete")).containsExactly("grant:" + inTeam);
      assertThat(sources(view, "appointment.cancel")).isEmpty();
      assertThat(notInForce(view)).containsExactly(atEast);
    }

    expect(api.post("/v1/care-teams/" + team + "/close", admin, null), 200);
    for (JsonObject view : List.of(expect(api.get("/v1/auth/me/permissions", nurse), 200).json(),
        expect(api.get(member(clinic.nurse, "permissions"), manages), 200).json())) {
      assertThat(sources(view, "appointment.book")).containsExactly("grant:" + atMain);
      assertThat(sources(view, "appointment.delete")).isEmpty();
      assertThat(notInForce(view)).containsExactlyInAnyOrder(atEast, inTeam);
    }
  }

  /**
   * Under a switchable view a grant limited to a facility follows the session's active group in the member's own
   * view, as her requests do; the admin's view has no session, so it never counts such a grant in force.
   */
  @Test
  void underASwitchableViewAGroupLimitedGrantFollowsTheSessionsActiveGroupInHerOwnView() {
    String admin = clinic.token(clinic.admin);
    String manages = clinic.token(manager);
    String main = group("/v1/facilities", "Riverside Main");
    String east = group("/v1/facilities", "Riverside East");
    TestUser switching = platform.user(clinic.tenant, "nurse");
    expect(api.send("PUT", "/v1/staff/" + switching.id() + "/groups/" + main, admin, null, Map.of()), 204);
    expect(api.send("PUT", "/v1/staff/" + switching.id() + "/groups/" + east, admin, null, Map.of()), 204);
    String atEast = scopedGrant(manages, switching, "appointment.book", "facility", east);
    expect(api.send("PUT", "/v1/tenant/access-policy", admin, new JsonObject().put("groupView", "switchable")
        .encode(), Map.of("If-Match", "\"0\"")), 200);
    String session = platform.login(switching).json().getString("accessToken");
    String patient = clinic.patient("Switch", "Sue").getString("id");

    assertThat(sources(expect(api.get("/v1/auth/me/permissions", session), 200).json(), "appointment.book"))
        .isEmpty();
    expect(book(session, patient), 403);
    expect(api.put("/v1/me/active-group", session, new JsonObject().put("groupId", east)), 200);
    JsonObject own = expect(api.get("/v1/auth/me/permissions", session), 200).json();
    assertThat(sources(own, "appointment.book")).containsExactly("grant:" + atEast);
    assertThat(notInForce(own)).isEmpty();
    expect(book(session, patient), 201);
    expect(api.put("/v1/me/active-group", session, new JsonObject().put("groupId", main)), 200);
    own = expect(api.get("/v1/auth/me/permissions", session), 200).json();
    assertThat(sources(own, "appointment.book")).isEmpty();
    assertThat(notInForce(own)).containsExactly(atEast);
    expect(book(session, patient), 403);

    JsonObject admins = expect(api.get(member(switching, "permissions"), manages), 200).json();
    assertThat(sources(admins, "appointment.book")).isEmpty();
    assertThat(notInForce(admins)).containsExactly(atEast);
  }

  private String group(String path, String name) {
    return expect(api.post(path, clinic.token(clinic.admin), new JsonObject().put("name", name)), 201).json()
        .getString("id");
  }

  private String scopedGrant(String admin, String permission, String kind, String groupId) {
    return scopedGrant(admin, clinic.nurse, permission, kind, groupId);
  }

  private String scopedGrant(String admin, TestUser user, String permission, String kind, String groupId) {
    return expect(api.post(member(user, "grants"), admin, new JsonObject().put("permission", permission)
        .put("scope", new JsonObject().put("kind", kind).put("id", groupId))), 201).json().getString("id");
  }

  private static List<String> notInForce(JsonObject view) {
    return view.getJsonArray("grantsNotInForce").stream().map(g -> ((JsonObject) g).getString("id")).toList();
  }

  private static List<String> sources(JsonObject view, String permission) {
    for (Object o : view.getJsonArray("permissions")) {
      JsonObject p = (JsonObject) o;
      if (p.getString("permission").equals(permission)) {
        return p.getJsonArray("sources").stream().map(s -> (JsonObject) s).map(s -> s.getString("kind") + ":"
            + switch (s.getString("kind")) {
              case "base_role" -> s.getString("role");
              case "tenant_role" -> s.getString("name");
              default -> s.getString("grantId");
            }).toList();
      }
    }
    return List.of();
  }

  @Test
  void theCatalogueListsEveryPermissionWithADescriptionForStaff() {
    for (Permission p : Permission.values()) {
      assertThat(PermissionCatalogue.description(p)).as(p.key()).isPresent();
    }
    JsonArray items = expect(api.get("/v1/permissions", clinic.token(clinic.desk)), 200).items();
    assertThat(items.stream().map(i -> ((JsonObject) i).getString("key")).toList())
        .containsExactlyElementsOf(Arrays.stream(Permission.values()).map(Permission::key).toList());
    assertThat(items.stream().map(i -> (JsonObject) i)
        .filter(i -> i.getString("description").isBlank() || i.getString("area").isBlank())).isEmpty();
  }

  @Test
  void everyRoleAndGrantChangeIsAuditedWithBeforeAndAfter() {
    String admin = clinic.token(manager);
    Api.Response created = expect(api.post(roles(), admin, new JsonObject().put("name", "Audited")
        .put("permissions", List.of("appointment.read"))), 201);
    String id = created.json().getString("id");
    expect(api.send("PUT", roles() + "/" + id, admin, new JsonObject().put("name", "Audited")
        .put("permissions", List.of("appointment.read", "appointment.delete")).encode(),
        Map.of("If-Match", created.header("ETag"))), 200);
    expect(api.put(member(clinic.nurse, "tenant-roles"), admin, new JsonObject().put("roleIds", List.of(id))), 200);
    String grant = expect(api.post(member(clinic.nurse, "grants"), admin,
        new JsonObject().put("permission", "appointment.read")), 201).json().getString("id");
    expect(api.delete(member(clinic.nurse, "grants") + "/" + grant, admin), 204);
    expect(api.delete(roles() + "/" + id, admin), 204);

    List<Map<String, Object>> changes = Sql.query(platform.owner("global"), """
        SELECT action, object_id::text AS object, before::text AS before, after::text AS after
        FROM access_change WHERE tenant_id = ? ORDER BY at, id""", clinic.tenant.id().value());
    assertThat(changes).extracting(c -> c.get("action")).containsExactly("role.create", "role.update",
        "member.tenant_roles", "grant.create", "grant.revoke", "role.delete");
    assertThat(changes.get(0).get("before")).isNull();
    assertThat((String) changes.get(1).get("before")).doesNotContain("appointment.delete");
    assertThat((String) changes.get(1).get("after")).contains("appointment.delete");
    assertThat((String) changes.get(2).get("after")).contains(id);
    assertThat((String) changes.get(4).get("after")).contains("revokedAt");
    assertThat(changes.get(5).get("after")).isNull();
    for (String action : List.of("role.create", "role.update", "role.delete")) {
      Await.until(() -> AuditRows.of(platform, clinic.tenant, action),
          rows -> rows.equals(List.of(AuditRows.row("tenant_role", id, List.of(), "success", null))));
    }
    Await.until(() -> AuditRows.of(platform, clinic.tenant, "grant.revoke"),
        rows -> rows.equals(List.of(AuditRows.row("grant", grant, List.of(), "success", null))));
    Await.until(() -> AuditRows.of(platform, clinic.tenant, "member.tenant_roles"),
        rows -> rows.equals(List.of(AuditRows.row("user", clinic.nurse.id(), List.of(), "success", null))));
  }
}
