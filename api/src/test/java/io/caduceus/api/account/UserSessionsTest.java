package io.caduceus.api.account;

import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Conformance;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user lists their sessions (device, last use, which is this one) and ends one or all the others; a tenant admin
 * ends a member's sessions in their own tenant only. An ended session's access token is refused on its next
 * request.
 */
class UserSessionsTest extends ClinicFixture {

  private static final String PHONE = "CaduceusApp/3.1 (iPhone; iOS 18.1)";
  private static final String LAPTOP = "Mozilla/5.0 (Macintosh) Firefox/133.0";

  @Test
  void aUserSeesTheirSessionsWithDeviceAndLastUseAndEndsOne() {
    TestUser user = platform.user(clinic.tenant, "physician");
    JsonObject phone = platform.login(user, Map.of("User-Agent", PHONE)).json();
    JsonObject laptop = platform.login(user, Map.of("User-Agent", LAPTOP)).json();
    JsonObject refreshed = expect(api.post("/v1/auth/refresh", null, new JsonObject()
        .put("refreshToken", phone.getString("refreshToken"))), 200).json();

    List<JsonObject> listed = sessions(laptop.getString("accessToken"));
    assertThat(listed).hasSize(2);
    JsonObject current = listed.stream().filter(s -> s.getBoolean("current")).findFirst().orElseThrow();
    JsonObject other = listed.stream().filter(s -> !s.getBoolean("current")).findFirst().orElseThrow();
    assertThat(current.getString("device")).isEqualTo(LAPTOP);
    assertThat(other.getString("device")).isEqualTo(PHONE);
    assertThat(other.getString("tenantId")).isEqualTo(clinic.tenant.id().toString());
    assertThat(other.getString("lastUsedAt")).isGreaterThan(other.getString("createdAt"));

    expect(api.delete("/v1/auth/sessions/" + other.getString("id"), laptop.getString("accessToken")), 204);
    expect(api.get("/v1/auth/me", refreshed.getString("accessToken")), 401);
    expect(api.post("/v1/auth/refresh", null, new JsonObject()
        .put("refreshToken", refreshed.getString("refreshToken"))), 401);
    expect(api.get("/v1/auth/me", laptop.getString("accessToken")), 200);
    expect(api.delete("/v1/auth/sessions/" + other.getString("id"), laptop.getString("accessToken")), 404);
    assertThat(sessions(laptop.getString("accessToken"))).hasSize(1);
  }

  @Test
  void nobodyEndsAnotherUsersSession() {
    TestUser owner = platform.user(clinic.tenant, "nurse");
    TestUser stranger = platform.user(clinic.tenant, "nurse");
    JsonObject owned = platform.login(owner).json();
    String ownedId = sessions(owned.getString("accessToken")).get(0).getString("id");
    expect(api.delete("/v1/auth/sessions/" + ownedId, platform.login(stranger).json().getString("accessToken")), 404);
    expect(api.get("/v1/auth/me", owned.getString("accessToken")), 200);
  }

  @Test
  void endingTheOthersKeepsTheCurrentSessionInEveryTenant() {
    Clinic second = Clinic.in("eu");
    TestUser user = platform.user(clinic.tenant, "physician");
    TestUser there = platform.join(user, second.tenant, "physician");
    String kept = platform.login(user).json().getString("accessToken");
    String here = platform.login(user).json().getString("accessToken");
    String abroad = platform.login(there).json().getString("accessToken");

    JsonObject ended = expect(api.post("/v1/auth/sessions/revoke-all", kept, null), 200).json();
    assertThat(ended.getInteger("ended")).isEqualTo(2);
    expect(api.get("/v1/auth/me", here), 401);
    expect(api.get("/v1/auth/me", abroad), 401);
    expect(api.get("/v1/auth/me", kept), 200);
    assertThat(expect(api.post("/v1/auth/sessions/revoke-all", kept, null), 200).json().getInteger("ended"))
        .isZero();
  }

  @Test
  void aTenantAdminEndsAMembersSessionsThereAndNoOtherTenantCan() {
    TestUser member = platform.user(clinic.tenant, "receptionist");
    String token = platform.login(member).json().getString("accessToken");
    Clinic other = Clinic.in("us");
    String otherAdmin = other.token(other.admin);

    // Tenant B's admin cannot reach tenant A's member: by B's path the member is not found (404); A's path is
    // refused before anything is looked up, as any path naming a tenant other than the token's active one is.
    expect(api.post("/v1/tenants/" + other.tenant.id() + "/users/" + member.id() + "/sessions/end", otherAdmin,
        null), 404);
    assertThat(expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/users/" + member.id() + "/sessions/end",
        otherAdmin, null), 403).json().getString("detail")).contains("other than your active one");
    expect(api.get("/v1/auth/me", token), 200);
    // Nor may a member who is no admin.
    expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/users/" + member.id() + "/sessions/end",
        clinic.token(clinic.desk), null), 403);

    expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/users/" + member.id() + "/sessions/end",
        clinic.token(clinic.admin), null), 204);
    expect(api.get("/v1/auth/me", token), 401);
  }

  @Test
  void theAnswersAreWhatTheContractDeclares() {
    TestUser user = platform.user(clinic.tenant, "physician");
    String token = platform.login(user, Map.of("User-Agent", PHONE)).json().getString("accessToken");
    Conformance contract = Conformance.get();
    contract.check("GET", "/v1/auth/sessions", expect(api.get("/v1/auth/sessions", token), 200));
    contract.check("GET", "/v1/auth/me", expect(api.get("/v1/auth/me", token), 200));
    contract.check("POST", "/v1/auth/sessions/revoke-all", expect(api.post("/v1/auth/sessions/revoke-all", token,
        null), 200));
    contract.check("POST", "/v1/auth/password-reset", expect(api.post("/v1/auth/password-reset", null,
        new JsonObject().put("email", "conformance-" + user.id() + "@nowhere.test")), 202));
    contract.check("POST", "/v1/auth/email-verification", expect(api.post("/v1/auth/email-verification", null,
        new JsonObject().put("email", user.email())), 202));
  }

  private List<JsonObject> sessions(String token) {
    return expect(api.get("/v1/auth/sessions", token), 200).items().stream().map(o -> (JsonObject) o).toList();
  }
}
