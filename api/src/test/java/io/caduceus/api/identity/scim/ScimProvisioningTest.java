package io.caduceus.api.identity.scim;

import com.unboundid.scim2.client.ScimService;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.types.Email;
import com.unboundid.scim2.common.types.GroupResource;
import com.unboundid.scim2.common.types.Member;
import com.unboundid.scim2.common.types.Name;
import com.unboundid.scim2.common.types.ResourceTypeResource;
import com.unboundid.scim2.common.types.ServiceProviderConfigResource;
import com.unboundid.scim2.common.types.UserResource;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.keys.ScimTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientRequestFilter;
import org.glassfish.jersey.client.ClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SCIM 2.0 provisioning, driven by UnboundID's real SCIM client (over Jersey) and by the exact PATCH shapes Okta and
 * Entra send, against the running server: users and groups are provisioned, found, changed and removed; groups map
 * to roles through the tenant's role mapping; deactivation and deletion end sessions at once; a tenant's token never
 * reaches another tenant, and a revoked token is refused.
 */
class ScimProvisioningTest {

  private static final String SCIM_JSON = "application/scim+json";
  private static final List<Client> CLIENTS = new ArrayList<>();

  private static TestPlatform platform;
  private static Api api;
  private static Clinic riverside;
  private static Clinic hilltop;
  private static String riversideToken;
  private static String hilltopToken;

  @BeforeAll
  static void twoClinicsWithScimTokensAndARoleMapping() {
    platform = TestPlatform.get();
    api = platform.api();
    riverside = Clinic.in("us");
    hilltop = Clinic.in("us");
    riversideToken = token(riverside, "Okta");
    hilltopToken = token(hilltop, "Entra");
    Sql.update(platform.owner("global"), """
        INSERT INTO tenant_role_mapping (tenant_id, claim, value, role) VALUES
          (?::uuid, 'groups', 'Physicians', 'physician'), (?::uuid, 'groups', 'Nurses', 'nurse')""",
        riverside.tenant.id().toString(), riverside.tenant.id().toString());
  }

  @AfterAll
  static void closeClients() {
    CLIENTS.forEach(Client::close);
  }

  @Test
  void theScimClientProvisionsFindsUpdatesPagesAndDeletesUsers() throws ScimException {
    ScimService scim = client(riversideToken);
    String userName = "ana.lopez-" + UUID.randomUUID() + "@riverside.test";
    UserResource ana = new UserResource().setUserName(userName).setDisplayName("Ana Lopez")
        .setName(new Name().setGivenName("Ana").setFamilyName("Lopez"))
        .setEmails(List.of(new Email().setValue(userName).setType("work").setPrimary(true)))
        .setActive(true);
    ana.setExternalId("okta-" + UUID.randomUUID());
    UserResource created = scim.create("Users", ana);
    assertThat(created.getId()).isNotNull();
    assertThat(created.getMeta().getVersion()).isEqualTo("W/\"1\"");
    assertThat(created.getMeta().getLocation().toString()).endsWith("/scim/v2/Users/" + created.getId());

    assertThat(scim.retrieve("Users", created.getId(), UserResource.class).getUserName()).isEqualTo(userName);
    ListResponse<UserResource> byName = scim.searchRequest("Users")
        .filter(Filter.eq("userName", userName.toUpperCase()).toString()).invoke(UserResource.class);
    assertThat(byName.getTotalResults()).isEqualTo(1);
    assertThat(byName.getResources().get(0).getId()).isEqualTo(created.getId());
    ListResponse<UserResource> byExternal = scim.searchRequest("Users")
        .filter(Filter.eq("externalId", ana.getExternalId()).toString()).invoke(UserResource.class);
    assertThat(byExternal.getResources()).extracting(UserResource::getId).containsExactly(created.getId());

    created.setDisplayName("Ana M. Lopez");
    UserResource replaced = scim.replace(created);
    assertThat(replaced.getDisplayName()).isEqualTo("Ana M. Lopez");
    assertThat(replaced.getMeta().getVersion()).isEqualTo("W/\"2\"");
    UserResource modified = scim.modifyRequest("Users", created.getId()).replaceValue("title", "Charge nurse")
        .invoke(UserResource.class);
    assertThat(modified.getTitle()).isEqualTo("Charge nurse");
    assertThat(modified.getDisplayName()).isEqualTo("Ana M. Lopez");

    for (int i = 0; i < 3; i++) {
      String other = "paged-" + i + "-" + UUID.randomUUID() + "@riverside.test";
      scim.create("Users", new UserResource().setUserName(other));
    }
    ListResponse<UserResource> page = scim.searchRequest("Users").page(2, 2).invoke(UserResource.class);
    assertThat(page.getTotalResults()).isGreaterThanOrEqualTo(4);
    assertThat(page.getItemsPerPage()).isEqualTo(2);
    assertThat(page.getStartIndex()).isEqualTo(2);

    scim.delete("Users", created.getId());
    assertThatThrownBy(() -> scim.retrieve("Users", created.getId(), UserResource.class))
        .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.getScimError().getStatus()).isEqualTo(404));
    assertThat(scim.searchRequest("Users").filter(Filter.eq("userName", userName).toString())
        .invoke(UserResource.class).getTotalResults()).isZero();
  }

  @Test
  void theServiceDescribesItselfToTheClient() throws ScimException {
    ScimService scim = client(riversideToken);
    ServiceProviderConfigResource config = scim.getServiceProviderConfig();
    assertThat(config.getPatch().isSupported()).isTrue();
    assertThat(config.getFilter().isSupported()).isTrue();
    assertThat(config.getBulk().isSupported()).isFalse();
    assertThat(scim.getResourceTypes().getResources()).extracting(ResourceTypeResource::getName)
        .containsExactlyInAnyOrder("User", "Group");
    assertThat(scim.getSchemas().getTotalResults()).isEqualTo(3);
  }

  @Test
  void groupMembershipMapsToRolesAndDeactivationOrDeletionEndsSessionsAtOnce() throws ScimException {
    ScimService scim = client(riversideToken);
    // Dr. Okafor already works at Hilltop: Riverside's IdP provisions the same person (one identity).
    TestUser okafor = platform.user(hilltop.tenant, "physician");
    UserResource provisioned = scim.create("Users", new UserResource().setUserName(okafor.email()));
    assertThat(provisioned.getId()).isEqualTo(okafor.id().toString());
    TestUser atRiverside = new TestUser(okafor.id(), okafor.email(), riverside.tenant);
    assertThat(membership(okafor)).as("no group maps to a role yet").isNull();

    GroupResource physicians = scim.create("Groups", new GroupResource().setDisplayName("Physicians")
        .setMembers(List.of(new Member().setValue(okafor.id().toString()))));
    assertThat(physicians.getMembers()).extracting(Member::getValue).containsExactly(okafor.id().toString());
    assertThat(membership(okafor)).isEqualTo("active [physician]");
    String session = login(atRiverside);
    expect(api.get("/v1/patients?limit=1", session), 200);

    // Entra removes a member: path "members" with the values to remove. Access ends at once.
    expect(patch("/scim/v2/Groups/" + physicians.getId(), riversideToken, new JsonArray().add(new JsonObject()
        .put("op", "Remove").put("path", "members").put("value", new JsonArray().add(new JsonObject()
            .put("value", okafor.id().toString()))))), 200);
    assertThat(membership(okafor)).isEqualTo("removed [physician]");
    assertThat(api.get("/v1/patients?limit=1", session).status()).isEqualTo(401);

    // Okta adds them back, then a second group maps to a second role.
    expect(patch("/scim/v2/Groups/" + physicians.getId(), riversideToken, new JsonArray().add(new JsonObject()
        .put("op", "add").put("path", "members").put("value", new JsonArray().add(new JsonObject()
            .put("value", okafor.id().toString()).put("display", okafor.email()))))), 200);
    JsonObject nurses = expect(api.send("POST", "/scim/v2/Groups", riversideToken, new JsonObject()
        .put("schemas", new JsonArray().add("urn:ietf:params:scim:schemas:core:2.0:Group"))
        .put("displayName", "Nurses").put("members", new JsonArray().add(new JsonObject()
            .put("value", okafor.id().toString()))).encode(), Map.of("Content-Type", SCIM_JSON)), 201).json();
    assertThat(membership(okafor)).isEqualTo("active [nurse, physician]");
    // Okta removes by a value filter in the path.
    expect(patch("/scim/v2/Groups/" + nurses.getString("id"), riversideToken, new JsonArray().add(new JsonObject()
        .put("op", "remove").put("path", "members[value eq \"" + okafor.id() + "\"]"))), 200);
    assertThat(membership(okafor)).isEqualTo("active [physician]");

    // Entra deactivates: Replace active with the string "False".
    session = login(atRiverside);
    Api.Response deactivated = expect(patch("/scim/v2/Users/" + okafor.id(), riversideToken, new JsonArray()
        .add(new JsonObject().put("op", "Replace").put("path", "active").put("value", "False"))), 200);
    assertThat(deactivated.json().getBoolean("active")).isFalse();
    assertThat(deactivated.header("Content-Type")).startsWith(SCIM_JSON);
    assertThat(api.get("/v1/patients?limit=1", session).status()).isEqualTo(401);
    assertThat(membership(okafor)).isEqualTo("removed [physician]");
    assertThat(api.post("/v1/auth/login", null, new JsonObject().put("email", okafor.email())
        .put("password", TestPlatform.PASSWORD).put("tenantId", riverside.tenant.id().toString())).status())
        .isEqualTo(403);
    // Their other tenant is untouched.
    expect(api.get("/v1/auth/me", platform.token(okafor)), 200);

    // Okta reactivates (no path: the value's attributes), and deletion ends the session again.
    expect(patch("/scim/v2/Users/" + okafor.id(), riversideToken, new JsonArray().add(new JsonObject()
        .put("op", "replace").put("value", new JsonObject().put("active", true)))), 200);
    assertThat(membership(okafor)).isEqualTo("active [physician]");
    session = login(atRiverside);
    scim.delete("Users", okafor.id().toString());
    assertThat(api.get("/v1/patients?limit=1", session).status()).isEqualTo(401);
    assertThat(membership(okafor)).isEqualTo("removed [physician]");
    assertThat(scim.retrieve("Groups", physicians.getId(), GroupResource.class).getMembers()).isNullOrEmpty();
    expect(api.get("/v1/auth/me", platform.token(okafor)), 200);
  }

  @Test
  void renamingAGroupMovesItsMembersToTheRoleTheNewNameMapsTo() throws ScimException {
    ScimService scim = client(riversideToken);
    String chargeNurses = "Charge nurses " + UUID.randomUUID();
    Sql.update(platform.owner("global"), "INSERT INTO tenant_role_mapping (tenant_id, claim, value, role)"
        + " VALUES (?::uuid, 'groups', ?, 'nurse')", riverside.tenant.id().toString(), chargeNurses);
    UserResource user = scim.create("Users", new UserResource()
        .setUserName("rename-" + UUID.randomUUID() + "@riverside.test"));
    GroupResource group = scim.create("Groups", new GroupResource().setDisplayName("Ward " + UUID.randomUUID())
        .setMembers(List.of(new Member().setValue(user.getId()))));
    assertThat(membershipOf(user.getId())).as("a group no rule names grants nothing").isNull();
    expect(patch("/scim/v2/Groups/" + group.getId(), riversideToken, new JsonArray().add(new JsonObject()
        .put("op", "replace").put("path", "displayName").put("value", chargeNurses))), 200);
    assertThat(membershipOf(user.getId())).isEqualTo("active [nurse]");
    String other = scim.create("Groups", new GroupResource().setDisplayName("Ward " + UUID.randomUUID()))
        .getDisplayName();
    Api.Response taken = patch("/scim/v2/Groups/" + group.getId(), riversideToken, new JsonArray().add(
        new JsonObject().put("op", "replace").put("path", "displayName").put("value", other.toUpperCase())));
    assertThat(taken.status()).as("display names are unique, whatever their case").isEqualTo(409);
    assertThat(taken.json().getString("scimType")).isEqualTo("uniqueness");
    GroupResource stale = scim.retrieve("Groups", group.getId(), GroupResource.class);
    Api.Response refused = api.send("PUT", "/scim/v2/Groups/" + group.getId(), riversideToken, new JsonObject()
        .put("displayName", "Ward " + UUID.randomUUID()).encode(), Map.of("Content-Type", SCIM_JSON,
        "If-Match", "W/\"" + (Integer.parseInt(stale.getMeta().getVersion().replaceAll("\\D", "")) - 1) + "\""));
    assertThat(refused.status()).isEqualTo(412);
    scim.delete("Groups", group.getId());
    assertThat(membershipOf(user.getId())).isEqualTo("removed [nurse]");
  }

  @Test
  void aNewRoleMappingMovesScimMembersToWhatItGrantsAndEndsTheSessionsOfThoseItChanged() throws ScimException {
    Clinic lakeside = Clinic.in("us");
    String admin = lakeside.token(lakeside.admin);
    String mapping = "/v1/tenants/" + lakeside.tenant.id() + "/role-mapping";
    expect(api.put(mapping, admin, rules("Ward", "nurse")), 200);
    TestUser nurse = platform.user(lakeside.tenant, "nurse");
    ScimService scim = client(token(lakeside, "Okta"));
    UserResource linked = scim.create("Users", new UserResource().setUserName(nurse.email()));
    assertThat(linked.getId()).as("a known person is linked, not copied").isEqualTo(nurse.id().toString());
    scim.create("Groups", new GroupResource().setDisplayName("Ward")
        .setMembers(List.of(new Member().setValue(linked.getId()))));
    assertThat(membershipIn(lakeside, linked.getId())).isEqualTo("active [nurse]");
    String before = login(nurse);

    expect(api.put(mapping, admin, rules("Ward", "physician")), 200);
    assertThat(membershipIn(lakeside, linked.getId())).as("re-derived in the mapping's own transaction")
        .isEqualTo("active [physician]");
    expect(api.get("/v1/auth/me", before), 401);
    String after = login(nurse);
    assertThat(platform.api().get("/v1/auth/me", after).json().getJsonObject("activeTenant")
        .getJsonArray("roles").getList()).containsExactly("physician");

    expect(api.put(mapping, admin, new JsonObject().put("rules", new JsonArray())), 200);
    assertThat(membershipIn(lakeside, linked.getId())).startsWith("removed");
    expect(api.get("/v1/auth/me", after), 401);
  }

  private static JsonObject rules(String group, String role) {
    return new JsonObject().put("rules", new JsonArray().add(new JsonObject().put("claim", "groups")
        .put("value", group).put("role", role)));
  }

  @Test
  void aTenantsTokenNeverReachesAnotherTenantsUsersOrGroups() throws ScimException {
    ScimService atHilltop = client(hilltopToken);
    UserResource hilltopUser = atHilltop.create("Users", new UserResource()
        .setUserName("hilltop-" + UUID.randomUUID() + "@hilltop.test"));
    GroupResource hilltopGroup = atHilltop.create("Groups", new GroupResource().setDisplayName("Physicians"));

    Api.Response read = api.get("/scim/v2/Users/" + hilltopUser.getId(), riversideToken);
    assertThat(read.status()).isEqualTo(404);
    assertThat(read.header("Content-Type")).isEqualTo(SCIM_JSON);
    assertThat(read.json().getJsonArray("schemas").getString(0))
        .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
    assertThat(read.json().getString("status")).isEqualTo("404");
    assertThat(api.send("DELETE", "/scim/v2/Users/" + hilltopUser.getId(), riversideToken, null, Map.of()).status())
        .isEqualTo(404);
    assertThat(patch("/scim/v2/Groups/" + hilltopGroup.getId(), riversideToken, new JsonArray().add(new JsonObject()
        .put("op", "replace").put("path", "displayName").put("value", "Mine"))).status()).isEqualTo(404);
    assertThat(api.get("/scim/v2/Users?filter=" + enc("userName eq \"" + hilltopUser.getUserName() + "\""),
        riversideToken).json().getInteger("totalResults")).isZero();
    assertThat(api.get("/scim/v2/Users?filter=" + enc("id eq \"" + hilltopUser.getId() + "\""),
        riversideToken).json().getInteger("totalResults")).isZero();
    // Another tenant's user cannot be made a member either.
    Api.Response member = api.send("POST", "/scim/v2/Groups", riversideToken, new JsonObject()
        .put("displayName", "Borrowed " + UUID.randomUUID()).put("members", new JsonArray().add(new JsonObject()
            .put("value", hilltopUser.getId()))).encode(), Map.of("Content-Type", SCIM_JSON));
    assertThat(member.status()).isEqualTo(400);
    assertThat(member.json().getString("scimType")).isEqualTo("invalidValue");
    // Hilltop still sees its own.
    assertThat(atHilltop.retrieve("Users", hilltopUser.getId(), UserResource.class).getId())
        .isEqualTo(hilltopUser.getId());
  }

  @Test
  void onlyALiveScimTokenAuthenticatesAndARevokedOneIsRefusedAtOnce() {
    String token = token(riverside, "Short-lived");
    expect(api.get("/scim/v2/Users?count=0", token), 200);
    JsonObject listed = expect(api.get("/v1/tenants/" + riverside.tenant.id() + "/scim-tokens",
        riverside.token(riverside.admin)), 200).json();
    assertThat(listed.encode()).doesNotContain(token).doesNotContain("token\"");
    String id = listed.getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(t -> "Short-lived".equals(t.getString("name"))).findFirst().orElseThrow().getString("id");
    // Another tenant's admin cannot revoke it: it is not theirs (404).
    assertThat(api.delete("/v1/tenants/" + hilltop.tenant.id() + "/scim-tokens/" + id,
        hilltop.token(hilltop.admin)).status()).isEqualTo(404);
    // A physician is not a tenant admin.
    assertThat(api.post("/v1/tenants/" + riverside.tenant.id() + "/scim-tokens", riverside.token(riverside.doctor),
        new JsonObject().put("name", "Mine")).status()).isEqualTo(403);
    expect(api.delete("/v1/tenants/" + riverside.tenant.id() + "/scim-tokens/" + id, riverside.token(riverside.admin)),
        204);

    Api.Response revoked = api.get("/scim/v2/Users", token);
    assertThat(revoked.status()).isEqualTo(401);
    assertThat(revoked.header("Content-Type")).isEqualTo(SCIM_JSON);
    assertThat(revoked.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(revoked.json().getString("status")).isEqualTo("401");
    // A token with another tenant's id in it is refused too, as is an access token, and no token at all.
    int named = "scim_".length() + 22; // the prefix and the tenant the token names
    String forged = ScimTokens.issue(hilltop.tenant.id()).substring(0, named) + token.substring(named);
    assertThat(ScimTokens.tenantOf(forged)).contains(hilltop.tenant.id());
    assertThat(api.get("/scim/v2/Users", forged).status()).isEqualTo(401);
    assertThat(api.get("/scim/v2/Users", riverside.token(riverside.admin)).status()).isEqualTo(401);
    assertThat(api.get("/scim/v2/Users", null).status()).isEqualTo(401);
    // And a SCIM token is no access token.
    assertThat(api.get("/v1/patients?limit=1", riversideToken).status()).isEqualTo(401);
  }

  @Test
  void badRequestsAnswerScimErrorsWithTheirScimType() {
    Api.Response filter = api.get("/scim/v2/Users?filter=" + enc("name.familyName co \"x\""), riversideToken);
    assertThat(filter.status()).isEqualTo(400);
    assertThat(filter.json().getString("scimType")).isEqualTo("invalidFilter");
    String userName = "dup-" + UUID.randomUUID() + "@riverside.test";
    JsonObject user = new JsonObject().put("schemas", new JsonArray().add("urn:ietf:params:scim:schemas:core:2.0:User"))
        .put("userName", userName);
    expect(api.send("POST", "/scim/v2/Users", riversideToken, user.encode(), Map.of("Content-Type", SCIM_JSON)), 201);
    Api.Response duplicate = api.send("POST", "/scim/v2/Users", riversideToken, user.encode(),
        Map.of("Content-Type", SCIM_JSON));
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.json().getString("scimType")).isEqualTo("uniqueness");
    Api.Response missing = api.send("POST", "/scim/v2/Users", riversideToken, new JsonObject()
        .put("displayName", "No name").encode(), Map.of("Content-Type", SCIM_JSON));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.header("Content-Type")).isEqualTo(SCIM_JSON);
    Api.Response notEmail = api.send("POST", "/scim/v2/Users", riversideToken, new JsonObject()
        .put("userName", "just-a-name").encode(), Map.of("Content-Type", SCIM_JSON));
    assertThat(notEmail.status()).isEqualTo(400);
    assertThat(notEmail.json().getString("scimType")).isEqualTo("invalidValue");
    Api.Response stale = api.send("PUT", "/scim/v2/Users/" + Clinic.unknownId(), riversideToken, user.encode(),
        Map.of("Content-Type", SCIM_JSON, "If-Match", "W/\"1\""));
    assertThat(stale.status()).isEqualTo(404);
  }

  private static ScimService client(String token) {
    Client client = ClientBuilder.newClient(new ClientConfig().connectorProvider(JdkHttpConnector.PROVIDER))
        .register((ClientRequestFilter) request -> request.getHeaders().putSingle("Authorization", "Bearer " + token));
    synchronized (CLIENTS) {
      CLIENTS.add(client);
    }
    return new ScimService(client.target("http://127.0.0.1:" + platform.app().port() + "/scim/v2"));
  }

  private static String token(Clinic clinic, String name) {
    JsonObject created = expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/scim-tokens",
        clinic.token(clinic.admin), new JsonObject().put("name", name)), 201).json();
    assertThat(created.getString("baseUrl")).endsWith("/scim/v2");
    return created.getString("token");
  }

  private static Api.Response patch(String path, String token, JsonArray operations) {
    return api.send("PATCH", path, token, new JsonObject()
        .put("schemas", new JsonArray().add("urn:ietf:params:scim:api:messages:2.0:PatchOp"))
        .put("Operations", operations).encode(), Map.of("Content-Type", SCIM_JSON));
  }

  private static String login(TestUser user) {
    return platform.login(user).json().getString("accessToken");
  }

  private static String membership(TestUser user) {
    return membershipOf(user.id().toString());
  }

  /** "status [roles]" of the user's Riverside membership, or null. */
  private static String membershipOf(String userId) {
    return membershipIn(riverside, userId);
  }

  /** "status [roles]" of the user's membership in the clinic, or null. */
  private static String membershipIn(Clinic clinic, String userId) {
    List<Map<String, Object>> rows = Sql.query(platform.owner("global"), """
        SELECT status || ' [' || array_to_string(ARRAY(SELECT unnest(roles) ORDER BY 1), ', ') || ']' AS m
        FROM membership WHERE tenant_id = ?::uuid AND user_id = ?::uuid""",
        clinic.tenant.id().toString(), userId);
    return rows.isEmpty() ? null : (String) rows.get(0).get("m");
  }

  private static String enc(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }
}
