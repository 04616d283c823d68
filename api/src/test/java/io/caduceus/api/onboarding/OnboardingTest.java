package io.caduceus.api.onboarding;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Mailbox;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

class OnboardingTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void thePlatformOnboardsATenantWhoseAdminAcceptsAndInvitesStaff() {
    String owner = platform.token(platform.platformOwner());
    String slug = "lab-" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject created = expect(api.post("/v1/platform/tenants", owner, new JsonObject().put("kind", "lab")
        .put("slug", slug).put("name", "Lakeside Labs").put("dataRegion", "eu").put("locale", "de-DE")
        .put("timeZone", "Europe/Berlin").put("adminEmail", "boss@" + slug + ".test")
        .put("branding", new JsonObject().put("primaryColor", "#0055aa"))), 201).json();
    JsonObject tenant = created.getJsonObject("tenant");
    assertThat(tenant.getString("status")).isEqualTo("active");
    assertThat(tenant.getString("dataRegion")).isEqualTo("eu");
    String adminToken = created.getJsonObject("adminInvitation").getString("token");

    JsonObject adminSession = expect(api.post("/v1/invitations/accept", null, new JsonObject().put("token", adminToken)
        .put("password", "a-long-admin-password").put("displayName", "Boss")), 200).json();
    assertThat(adminSession.getJsonObject("activeTenant").getJsonArray("roles")).containsExactly("tenant_admin");
    String admin = adminSession.getString("accessToken");

    String tenantPath = "/v1/tenants/" + tenant.getString("id");
    JsonObject invited = expect(api.post(tenantPath + "/invitations", admin, new JsonObject()
        .put("email", "tech@" + slug + ".test").put("roles", new JsonArray().add("lab_technician"))), 201).json();
    assertThat(invited.getJsonObject("invitation").getString("status")).isEqualTo("pending");
    expect(api.post("/v1/invitations/accept", null, new JsonObject().put("token", invited.getString("token"))
        .put("password", "a-long-tech-password").put("displayName", "Tech")), 200);
    expect(api.post("/v1/auth/login", null, new JsonObject().put("email", "tech@" + slug + ".test")
        .put("password", "a-long-tech-password")), 200);
    assertThat(expect(api.get(tenantPath + "/users", admin), 200).items()).hasSize(2);
    assertThat(expect(api.get(tenantPath + "/invitations", admin), 200).items())
        .allSatisfy(i -> assertThat(((JsonObject) i).getString("status")).isEqualTo("accepted"));
  }

  @Test
  void aReplayedOnboardingIsRecordedOnceNamingTheNewTenant() {
    String owner = platform.token(platform.platformOwner());
    JsonObject body = tenantBody("us");
    String requestId = "onboard-" + UUID.randomUUID();
    Map<String, String> headers = Map.of("Idempotency-Key", requestId, "X-Request-Id", requestId);
    String id = expect(api.post("/v1/platform/tenants", owner, body, headers), 201).json().getJsonObject("tenant")
        .getString("id");
    assertThat(expect(api.post("/v1/platform/tenants", owner, body, headers), 201).header("Idempotent-Replayed"))
        .isEqualTo("true");
    List<Map<String, Object>> recorded = Sql.query(platform.superuser("us"), "SELECT resource_id::text AS resource,"
        + " partner_tenant_id::text AS partner FROM audit_event WHERE request_id = ?", requestId);
    assertThat(recorded).containsExactly(Map.of("resource", id, "partner", id));
  }

  @Test
  void onlyThePlatformOwnerManagesTenants() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    expect(api.post("/v1/platform/tenants", admin, tenantBody("us")), 403);
    expect(api.get("/v1/platform/tenants", admin), 403);
    expect(api.post("/v1/platform/tenants/" + clinic.tenant.id() + "/suspend", admin, null), 403);
    expect(api.get("/v1/platform/regions", admin), 403);
    JsonArray regions = expect(api.get("/v1/platform/regions", platform.token(platform.platformOwner())), 200).items();
    assertThat(regions.stream().map(r -> ((JsonObject) r).getString("code"))).contains("us", "eu");
  }

  @Test
  void aTenantIsRefusedWhenItsRegionSlugTierOrZoneIsWrong() {
    String owner = platform.token(platform.platformOwner());
    expect(api.post("/v1/platform/tenants", owner, tenantBody("mars")), 400);
    JsonObject body = tenantBody("us");
    expect(api.post("/v1/platform/tenants", owner, body), 201);
    expect(api.post("/v1/platform/tenants", owner, body), 409);
    expect(api.post("/v1/platform/tenants", owner, tenantBody("us").put("isolationTier", "dedicated")), 400);
    expect(api.post("/v1/platform/tenants", owner, tenantBody("us").put("timeZone", "Mars/Olympus")), 400);
    expect(api.post("/v1/platform/tenants", owner, tenantBody("us").put("kind", "platform")), 400);
  }

  @Test
  void thePlatformListsTenantsByStatusAndKindPageByPage() {
    String owner = platform.token(platform.platformOwner());
    Clinic.in("us");
    Clinic.in("us");
    Api.Response first = expect(api.get("/v1/platform/tenants?kind=clinic&limit=1", owner), 200);
    assertThat(first.items()).hasSize(1);
    String cursor = first.json().getString("nextCursor");
    assertThat(cursor).isNotNull();
    Api.Response second = expect(api.get("/v1/platform/tenants?kind=clinic&limit=1&cursor=" + cursor, owner), 200);
    assertThat(second.items().getJsonObject(0).getString("id")).isNotEqualTo(first.items().getJsonObject(0).getString("id"));
    assertThat(expect(api.get("/v1/platform/tenants?kind=insurer&status=suspended", owner), 200).items())
        .allSatisfy(t -> assertThat(((JsonObject) t).getString("kind")).isEqualTo("insurer"));
    String someId = first.items().getJsonObject(0).getString("id");
    Api.Response one = expect(api.get("/v1/platform/tenants/" + someId, owner), 200);
    assertThat(one.json().getString("id")).isEqualTo(someId);
    assertThat(one.header("ETag")).isNotNull();
    expect(api.get("/v1/platform/tenants/" + UUID.randomUUID(), owner), 404);
  }

  @Test
  void aSuspendedTenantsUsersAreRefusedFromTheirNextRequest() {
    Clinic clinic = Clinic.in("us");
    String owner = platform.token(platform.platformOwner());
    JsonObject session = platform.login(clinic.desk).json();
    expect(api.get("/v1/patients", session.getString("accessToken")), 200);
    JsonObject suspended = expect(api.post("/v1/platform/tenants/" + clinic.tenant.id() + "/suspend", owner, null), 200)
        .json();
    assertThat(suspended.getString("status")).isEqualTo("suspended");
    expect(api.get("/v1/patients", session.getString("accessToken")), 403);
    expect(api.post("/v1/auth/login", null, new JsonObject().put("email", clinic.desk.email())
        .put("password", TestPlatform.PASSWORD)), 403);
    expect(api.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken",
        session.getString("refreshToken"))), 401);
    expect(api.post("/v1/platform/tenants/" + clinic.tenant.id() + "/reactivate", owner, null), 200);
    String fresh = platform.login(clinic.desk).json().getString("accessToken");
    expect(api.get("/v1/patients", fresh), 200);
    expect(api.post("/v1/platform/tenants/" + platform.platformOwner().tenant().id() + "/suspend", owner, null), 409);
  }

  @Test
  void anAdminChangesSettingsButNeverTheDataRegion() {
    Clinic clinic = Clinic.in("us");
    String path = "/v1/tenants/" + clinic.tenant.id();
    String admin = clinic.token(clinic.admin);
    Api.Response read = expect(api.get(path, admin), 200);
    JsonObject change = new JsonObject().put("name", "Renamed Clinic").put("timeZone", "America/Chicago")
        .put("branding", new JsonObject().put("primaryColor", "#112233"));
    expect(api.patch(path, admin, change, null), 428);
    JsonObject changed = expect(api.patch(path, admin, change, read.header("ETag")), 200).json();
    assertThat(changed.getString("name")).isEqualTo("Renamed Clinic");
    assertThat(changed.getString("dataRegion")).isEqualTo("us");
    expect(api.patch(path, admin, change, read.header("ETag")), 412);
    expect(api.patch(path, admin, new JsonObject().put("dataRegion", "eu"), "\"2\""), 400);
    expect(api.patch(path, admin, new JsonObject().put("timeZone", "Nowhere/Land"), "\"2\""), 400);
    expect(api.patch(path, clinic.token(clinic.desk), new JsonObject().put("name", "Mine now"), "\"2\""), 403);
    expect(api.get(path, clinic.token(clinic.desk)), 200);
  }

  @Test
  void anInvitationWorksOnceAndNotAfterRevocation() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    String invitations = "/v1/tenants/" + clinic.tenant.id() + "/invitations";
    JsonObject first = invite(admin, invitations, "once", "nurse");
    JsonObject accept = new JsonObject().put("token", first.getString("token")).put("password", "a-long-password-1")
        .put("displayName", "Once");
    expect(api.post("/v1/invitations/accept", null, accept), 200);
    expect(api.post("/v1/invitations/accept", null, accept), 409);

    JsonObject second = invite(admin, invitations, "revoked", "nurse");
    expect(api.delete(invitations + "/" + second.getJsonObject("invitation").getString("id"), admin), 204);
    expect(api.delete(invitations + "/" + second.getJsonObject("invitation").getString("id"), admin), 409);
    expect(api.post("/v1/invitations/accept", null, accept.copy().put("token", second.getString("token"))), 409);
    expect(api.post("/v1/invitations/accept", null, accept.copy().put("token", "x".repeat(43))), 404);
    expect(api.delete(invitations + "/" + UUID.randomUUID(), admin), 404);
  }

  @Test
  void anExistingUserJoinsAnotherTenantWithTheirOwnPassword() {
    Clinic home = Clinic.in("us");
    Clinic other = Clinic.in("us");
    JsonObject inv = invite(other.token(other.admin), "/v1/tenants/" + other.tenant.id() + "/invitations",
        null, "physician", home.doctor.email());
    JsonObject accept = new JsonObject().put("token", inv.getString("token")).put("password", "not-the-real-one");
    expect(api.post("/v1/invitations/accept", null, accept), 401);
    JsonObject joined = expect(api.post("/v1/invitations/accept", null, accept.copy()
        .put("password", TestPlatform.PASSWORD)), 200).json();
    assertThat(joined.getJsonObject("activeTenant").getString("tenantId")).isEqualTo(other.tenant.id().toString());
    assertThat(joined.getJsonArray("memberships")).hasSize(2);
  }

  @Test
  void changingRolesEndsTheMembersSessions() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    TestUser member = platform.user(clinic.tenant, "physician");
    String before = platform.login(member).json().getString("accessToken");
    String path = "/v1/tenants/" + clinic.tenant.id() + "/users/" + member.id() + "/roles";
    JsonObject changed = expect(api.put(path, admin, new JsonObject().put("roles", List.of("nurse"))), 200).json();
    assertThat(changed.getJsonArray("roles")).containsExactly("nurse");
    expect(api.get("/v1/patients", before), 401);
    JsonObject after = platform.login(member).json();
    assertThat(after.getJsonObject("activeTenant").getJsonArray("roles")).containsExactly("nurse");
    expect(api.put(path, admin, new JsonObject().put("roles", List.of("patient"))), 409);
    expect(api.put(path, admin, new JsonObject().put("roles", List.of("platform_owner"))), 400);
    expect(api.put("/v1/tenants/" + clinic.tenant.id() + "/users/" + clinic.admin.id() + "/roles", admin,
        new JsonObject().put("roles", List.of("nurse"))), 409);
    expect(api.put("/v1/tenants/" + clinic.tenant.id() + "/users/" + UUID.randomUUID() + "/roles", admin,
        new JsonObject().put("roles", List.of("nurse"))), 404);
  }

  @Test
  void aRemovedMemberLosesAccessAtOnce() {
    Clinic clinic = Clinic.in("us");
    TestUser member = platform.user(clinic.tenant, "receptionist");
    String token = platform.login(member).json().getString("accessToken");
    String path = "/v1/tenants/" + clinic.tenant.id() + "/users/";
    expect(api.delete(path + member.id(), clinic.token(clinic.admin)), 204);
    expect(api.get("/v1/patients", token), 401);
    expect(api.post("/v1/auth/login", null, new JsonObject().put("email", member.email())
        .put("password", TestPlatform.PASSWORD)), 403);
    expect(api.delete(path + clinic.admin.id(), clinic.token(clinic.admin)), 409);
    expect(api.delete(path + member.id(), clinic.token(clinic.admin)), 404);
  }

  @Test
  void aPatientInvitationGoesOnlyToTheEmailOnTheRecordAndNeverToTheInviter() {
    Clinic clinic = Clinic.in("us");
    Mailbox.get().serve(clinic);
    String desk = clinic.token(clinic.desk);
    String invitations = "/v1/tenants/" + clinic.tenant.id() + "/invitations";
    String email = "pat-" + UUID.randomUUID() + "@patients.test";
    String patientId = clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Portal"))
        .put("contact", new JsonObject().put("email", email))).getString("id");

    expect(api.post(invitations, desk, new JsonObject().put("email", "someone-else@x.test")
        .put("roles", List.of("patient")).put("patientId", patientId)), 422);
    JsonObject created = expect(api.post(invitations, desk, new JsonObject().put("email", email)
        .put("roles", List.of("patient")).put("patientId", patientId)), 201).json();
    assertThat(created.getString("delivery")).isEqualTo("email");
    assertThat(created.containsKey("token")).isFalse();

    String token = mailedToken(email);
    JsonObject session = expect(api.post("/v1/invitations/accept", null, new JsonObject()
        .put("token", token).put("password", "a-long-patient-password").put("displayName", "Pat")), 200).json();
    assertThat(session.getJsonObject("activeTenant").getString("patientId")).isEqualTo(patientId);
    expect(api.get("/v1/patients/" + patientId, session.getString("accessToken")), 200);

    String newEmail = "new-" + email;
    expect(api.patch("/v1/patients/" + patientId, desk, new JsonObject().put("contact",
        new JsonObject().put("email", newEmail)), "\"1\""), 200);
    expect(api.post(invitations, desk, new JsonObject().put("email", newEmail)
        .put("roles", List.of("patient")).put("patientId", patientId)), 201);
    JsonObject second = new JsonObject().put("token", mailedToken(newEmail)).put("password",
        "another-long-password").put("displayName", "Impostor");
    expect(api.post("/v1/invitations/accept", null, second), 409);
  }

  @Test
  void theFrontDeskInvitesPatientsAndNoOneElse() {
    Clinic clinic = Clinic.in("us");
    String desk = clinic.token(clinic.desk);
    String invitations = "/v1/tenants/" + clinic.tenant.id() + "/invitations";
    String patientId = clinic.patient("Portal", "Pat").getString("id");
    expect(api.post(invitations, desk, new JsonObject().put("email", "staff@x.test")
        .put("roles", List.of("physician"))), 403);
    expect(api.post(invitations, desk, new JsonObject().put("email", "ghost@x.test")
        .put("roles", List.of("patient")).put("patientId", UUID.randomUUID().toString())), 404);
    expect(api.post(invitations, desk, new JsonObject().put("email", "mixed@x.test")
        .put("roles", List.of("patient", "nurse")).put("patientId", patientId)), 403);
    expect(api.post(invitations, clinic.token(clinic.admin), new JsonObject().put("email", "mixed@x.test")
        .put("roles", List.of("patient", "nurse")).put("patientId", patientId)), 400);
    expect(api.post(invitations, clinic.token(clinic.admin), new JsonObject().put("email", "nopid@x.test")
        .put("roles", List.of("patient"))), 400);
  }

  /** The token in the link the engagement engine emailed to {@code email} (the inviter never sees it). */
  private static String mailedToken(String email) {
    Matcher link = Pattern.compile("#token=([A-Za-z0-9_-]{43})").matcher(Mailbox.get().nextTo(email));
    assertThat(link.find()).isTrue();
    return link.group(1);
  }

  private JsonObject invite(String admin, String path, String name, String role) {
    return invite(admin, path, name, role, name + "-" + UUID.randomUUID() + "@invited.test");
  }

  private JsonObject invite(String admin, String path, String name, String role, String email) {
    return expect(api.post(path, admin, new JsonObject().put("email", email).put("roles", List.of(role))), 201).json();
  }

  private static JsonObject tenantBody(String region) {
    String slug = "t-" + UUID.randomUUID().toString().substring(0, 8);
    return new JsonObject().put("kind", "pharmacy").put("slug", slug).put("name", "Pharmacy " + slug)
        .put("dataRegion", region).put("locale", "en-US").put("timeZone", "America/New_York");
  }
}
