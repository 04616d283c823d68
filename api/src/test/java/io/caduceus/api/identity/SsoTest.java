package io.caduceus.api.identity;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.AuditRows;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Sql;
import io.caduceus.api.testing.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on per tenant against a real OpenID provider on 127.0.0.1: the full redirect flow over HTTP (start,
 * the provider's authorization endpoint, the callback), just-in-time provisioning, and every refusal.
 */
class SsoTest {

  private static final String APP_REDIRECT = "org.caduceus.test:/sso";

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();
  private final OidcProvider idp = OidcProvider.get();
  private final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** A clinic that signs in through its own issuer on the provider. */
  private record Sso(Clinic clinic, String issuerId, String clientId, String domain) {
    String slug() {
      return clinic.tenant.slug();
    }
  }

  /** Where the provider sent the browser back to, and the nonce the login started with. */
  private record Back(String callbackPath, String nonce) {
  }

  @Test
  void firstLoginProvisionsTheMappedRolesAndLaterLoginsFollowTheGroups() {
    Sso sso = configured(Clinic.in("us"), "idp-" + UUID.randomUUID());
    String email = "ana.ortiz@" + sso.domain();
    idp.nextLogin(sso.issuerId(), "sub-ana", sso.clientId(), Map.of("email", email, "name", "Ana Ortiz",
        "groups", List.of("Physicians", "Everyone", "tenant_admin"), "amr", List.of("pwd", "mfa")));
    JsonObject first = expect(api.get(authorize(sso, "tenant=" + sso.slug()).callbackPath(), null), 200).json();
    assertThat(first.getJsonObject("activeTenant").getJsonArray("roles")).as("only what a rule names")
        .containsExactly("physician");
    JsonObject me = expect(api.get("/v1/auth/me", first.getString("accessToken")), 200).json();
    assertThat(me.getString("email")).isEqualTo(email);
    assertThat(me.getString("displayName")).isEqualTo("Ana Ortiz");

    idp.nextLogin(sso.issuerId(), "sub-ana", sso.clientId(), Map.of("email", email, "groups", List.of("Nurses")));
    JsonObject second = expect(api.get(authorize(sso, "email=" + email).callbackPath(), null), 200).json();
    assertThat(second.getJsonObject("activeTenant").getJsonArray("roles")).containsExactly("nurse");
    assertThat(expect(api.get("/v1/auth/me", second.getString("accessToken")), 200).json().getString("userId"))
        .as("the same person").isEqualTo(me.getString("userId"));
    expect(api.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", first.getString("refreshToken"))),
        401);
    assertThat(members(sso).stream().filter(m -> email.equals(m.getString("email"))).findFirst().orElseThrow()
        .getJsonArray("roles")).containsExactly("nurse");
  }

  @Test
  void provisioningRoleUpdatesAndEachLoginAreInTheTenantsAuditTrailWithNoTokenOrCode() throws Exception {
    Sso sso = configured(Clinic.in("us"), "idp-" + UUID.randomUUID());
    Clinic other = Clinic.in("us");
    String email = "audited@" + sso.domain();
    idp.nextLogin(sso.issuerId(), "sub-audited", sso.clientId(), Map.of("email", email,
        "groups", List.of("Physicians")));
    JsonObject first = expect(api.get(authorize(sso, "tenant=" + sso.slug()).callbackPath(), null), 200).json();
    String userId = Tokens.payload(first.getString("accessToken")).getString("sub");
    String success = AuditRows.row("user", userId, List.of(), "success", null);
    assertThat(AuditRows.of(platform, sso.clinic().tenant, "sso.provisioned")).containsExactly(success);
    assertThat(AuditRows.of(platform, sso.clinic().tenant, "sso.login")).containsExactly(success);

    idp.nextLogin(sso.issuerId(), "sub-audited", sso.clientId(), Map.of("email", email, "groups", List.of("Nurses")));
    expect(api.get(authorize(sso, "tenant=" + sso.slug()).callbackPath(), null), 200);
    assertThat(AuditRows.of(platform, sso.clinic().tenant, "sso.roles_updated")).containsExactly(success);
    assertThat(AuditRows.of(platform, sso.clinic().tenant, "sso.login")).containsExactly(success, success);

    // An app's login: the callback records the code it issued, the exchange the login; unchanged roles, no row.
    String verifier = "audit-verifier-" + UUID.randomUUID() + "-0123456789";
    idp.nextLogin(sso.issuerId(), "sub-audited", sso.clientId(), Map.of("email", email, "groups", List.of("Nurses")));
    String location = expect(api.get(authorize(sso, "tenant=" + sso.slug() + "&redirectUri=" + APP_REDIRECT
        + "&codeChallenge=" + challenge(verifier)).callbackPath(), null), 302).header("Location");
    String code = URLDecoder.decode(location.substring(location.indexOf("code=") + 5), StandardCharsets.UTF_8);
    assertThat(AuditRows.of(platform, sso.clinic().tenant, "sso.code_issued")).containsExactly(success);
    expect(api.post("/v1/auth/sso/token", null, new JsonObject().put("code", code).put("codeVerifier", verifier)),
        200);
    assertThat(AuditRows.of(platform, sso.clinic().tenant, "sso.login")).hasSize(3);
    assertThat(AuditRows.of(platform, sso.clinic().tenant, "sso.roles_updated")).hasSize(1);
    assertThat(AuditRows.of(platform, sso.clinic().tenant, "sso.provisioned")).hasSize(1);

    List<Map<String, Object>> rows = Sql.query(platform.superuser(sso.clinic().tenant), "SELECT row_to_json(a)::text"
        + " AS j, actor_user_id::text AS actor FROM audit_event a WHERE tenant_id = ?::uuid AND action LIKE 'sso.%'",
        sso.clinic().tenant.id().toString());
    assertThat(rows).hasSize(6).allSatisfy(r -> {
      assertThat(r.get("actor")).isEqualTo(userId);
      assertThat((String) r.get("j")).doesNotContain(code).doesNotContain(first.getString("accessToken"))
          .doesNotContain(first.getString("refreshToken")).doesNotContain(verifier);
    });
    assertThat(Sql.query(platform.superuser(other.tenant), "SELECT count(*) AS n FROM audit_event WHERE tenant_id ="
        + " ?::uuid AND action LIKE 'sso.%'", other.tenant.id().toString()).get(0).get("n"))
        .as("another tenant's trail holds none of it").isEqualTo(0L);
  }

  @Test
  void aMembershipTheOrganisationRemovedIsNotRestoredByASsoLogin() {
    Sso sso = configured(Clinic.in("us"), "idp-" + UUID.randomUUID());
    String email = "leaver@" + sso.domain();
    Map<String, Object> claims = Map.of("email", email, "groups", List.of("Physicians"));
    idp.nextLogin(sso.issuerId(), "sub-leaver", sso.clientId(), claims);
    JsonObject first = expect(api.get(authorize(sso, "tenant=" + sso.slug()).callbackPath(), null), 200).json();
    String userId = Tokens.payload(first.getString("accessToken")).getString("sub");
    expect(api.delete("/v1/tenants/" + sso.clinic().tenant.id() + "/users/" + userId,
        sso.clinic().token(sso.clinic().admin)), 204);

    idp.nextLogin(sso.issuerId(), "sub-leaver", sso.clientId(), claims);
    Api.Response refused = expect(api.get(authorize(sso, "tenant=" + sso.slug()).callbackPath(), null), 403);
    assertThat(refused.json().getString("detail")).contains("removed by the organisation");
    assertThat(refused.body()).doesNotContain("accessToken");
    assertThat(Sql.query(platform.owner("global"), "SELECT status, roles::text AS roles FROM membership"
        + " WHERE user_id = ?::uuid AND tenant_id = ?::uuid", userId, sso.clinic().tenant.id().toString()))
        .singleElement().satisfies(m -> assertThat(m.get("status")).isEqualTo("removed"));
    assertThat(Sql.query(platform.owner("global"), "SELECT count(*) AS n FROM app_user WHERE lower(email) ="
        + " lower(?)", email).get(0).get("n")).as("nobody re-created").isEqualTo(1L);
    expect(api.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", first.getString("refreshToken"))),
        401);
    assertThat(AuditRows.of(platform, sso.clinic().tenant, "sso.login")).containsExactly(
        AuditRows.row("user", userId, List.of(), "success", null),
        AuditRows.row("user", userId, List.of(), "denied", null));
    assertThat(AuditRows.of(platform, sso.clinic().tenant, "sso.provisioned")).hasSize(1);
  }

  @Test
  void theIdpsMfaMakesAMultiFactorSessionThatMayStepUpWithoutItThePolicyLeavesItPending() {
    Sso sso = configured(Clinic.in("us"), "idp-" + UUID.randomUUID());
    String tenantPath = "/v1/tenants/" + sso.clinic().tenant.id();
    String fixtureAdmin = sso.clinic().token(sso.clinic().admin);
    JsonObject rules = new JsonObject().put("rules", new JsonArray()
        .add(new JsonObject().put("value", "Physicians").put("role", "physician"))
        .add(new JsonObject().put("value", "IT").put("role", "tenant_admin")));
    expect(api.put(tenantPath + "/role-mapping", fixtureAdmin, rules), 200);
    expect(api.put(tenantPath + "/mfa-policy", fixtureAdmin, new JsonObject().put("requiredFor", "roles")
        .put("roles", new JsonArray().add("physician"))), 200);

    String admin = "it.admin@" + sso.domain();
    idp.nextLogin(sso.issuerId(), "sub-it", sso.clientId(), Map.of("email", admin, "groups", List.of("IT"),
        "amr", List.of("pwd", "mfa")));
    JsonObject strong = expect(api.get(authorize(sso, "tenant=" + sso.slug()).callbackPath(), null), 200).json();
    assertThat(Tokens.payload(strong.getString("accessToken")).getJsonArray("amr").getList())
        .containsExactly("ext", "mfa");
    expect(api.put(tenantPath + "/role-mapping", strong.getString("accessToken"), rules), 200);
    JsonObject shown = expect(api.get(tenantPath + "/sso", strong.getString("accessToken")), 200).json();
    expect(api.put(tenantPath + "/sso", strong.getString("accessToken"), settings(sso)
        .put("requireSso", false)), 200);
    assertThat(shown.getString("clientId")).isEqualTo(sso.clientId());

    // Without the IdP's MFA: a step-up operation wants a second factor (401), and under the policy a physician's
    // session is the pending kind that may only enrol.
    idp.nextLogin(sso.issuerId(), "sub-it", sso.clientId(), Map.of("email", admin, "groups", List.of("IT"),
        "amr", List.of("pwd")));
    JsonObject weak = expect(api.get(authorize(sso, "tenant=" + sso.slug()).callbackPath(), null), 200).json();
    assertThat(Tokens.payload(weak.getString("accessToken")).getJsonArray("amr").getList()).containsExactly("ext");
    for (Api.Response refused : List.of(api.put(tenantPath + "/sso", weak.getString("accessToken"), settings(sso)),
        api.delete(tenantPath + "/sso", weak.getString("accessToken")),
        api.put(tenantPath + "/role-mapping", weak.getString("accessToken"), rules))) {
      assertThat(expect(refused, 401).json().getString("type")).isEqualTo("urn:caduceus:problem:step-up-required");
    }
    expect(api.get(tenantPath + "/sso", weak.getString("accessToken")), 200);

    String doctor = "policy.doctor@" + sso.domain();
    idp.nextLogin(sso.issuerId(), "sub-doc", sso.clientId(), Map.of("email", doctor,
        "groups", List.of("Physicians")));
    JsonObject pending = expect(api.get(authorize(sso, "tenant=" + sso.slug()).callbackPath(), null), 200).json();
    assertThat(pending.getBoolean("mfaPending")).isTrue();
    assertThat(expect(api.get("/v1/patients", pending.getString("accessToken")), 403).json()
        .getString("type")).isEqualTo("urn:caduceus:problem:mfa-required");
    idp.nextLogin(sso.issuerId(), "sub-doc", sso.clientId(), Map.of("email", doctor,
        "groups", List.of("Physicians"), "amr", List.of("mfa")));
    JsonObject covered = expect(api.get(authorize(sso, "tenant=" + sso.slug()).callbackPath(), null), 200).json();
    assertThat(covered.getBoolean("mfaPending", false)).isFalse();
    expect(api.get("/v1/patients", covered.getString("accessToken")), 200);
  }

  @Test
  void aPersonNoRuleMapsIsRefusedAndNotProvisioned() {
    Sso sso = configured(Clinic.in("us"), "idp-" + UUID.randomUUID());
    String email = "visitor@" + sso.domain();
    idp.nextLogin(sso.issuerId(), "sub-visitor", sso.clientId(), Map.of("email", email,
        "groups", List.of("Visitors", "patient", "platform_owner")));
    Api.Response refused = expect(api.get(authorize(sso, "tenant=" + sso.slug()).callbackPath(), null), 403);
    assertThat(refused.json().getString("detail")).contains("map to no role");
    assertThat(members(sso)).noneMatch(m -> email.equals(m.getString("email")));

    idp.nextLogin(sso.issuerId(), "sub-stranger", sso.clientId(), Map.of("email", "x@elsewhere.example",
        "groups", List.of("Physicians")));
    assertThat(expect(api.get(authorize(sso, "tenant=" + sso.slug()).callbackPath(), null), 403).json()
        .getString("detail")).contains("domain");

    idp.nextLogin(sso.issuerId(), "sub-unverified", sso.clientId(), Map.of("email", "unverified@" + sso.domain(),
        "email_verified", false, "groups", List.of("Physicians")));
    assertThat(expect(api.get(authorize(sso, "tenant=" + sso.slug()).callbackPath(), null), 403).json()
        .getString("detail")).contains("verified email");
    assertThat(members(sso)).noneMatch(m -> m.getString("email").startsWith("unverified@"));
  }

  @Test
  void forgedWrongAudienceExpiredAndAnotherTenantsIdTokensAreRefused() {
    Sso sso = configured(Clinic.in("us"), "idp-" + UUID.randomUUID());
    Sso other = configured(Clinic.in("us"), "idp-" + UUID.randomUUID());
    Map<String, Object> person = Map.of("email", "mal@" + sso.domain(), "groups", List.of("Physicians"));

    Back forged = authorize(sso, "tenant=" + sso.slug());
    idp.swapNextIdToken(sso.issuerId(), OidcProvider.forged(idp.signed(sso.issuerId(), "sub-mal", sso.clientId(),
        withNonce(person, forged.nonce()), 3600)));
    assertVerificationFailed(api.get(forged.callbackPath(), null));

    Back audience = authorize(sso, "tenant=" + sso.slug());
    idp.swapNextIdToken(sso.issuerId(), idp.signed(sso.issuerId(), "sub-mal", "someone-else",
        withNonce(person, audience.nonce()), 3600));
    assertVerificationFailed(api.get(audience.callbackPath(), null));

    Back expired = authorize(sso, "tenant=" + sso.slug());
    idp.swapNextIdToken(sso.issuerId(), idp.signed(sso.issuerId(), "sub-mal", sso.clientId(),
        withNonce(person, expired.nonce()), -600));
    assertVerificationFailed(api.get(expired.callbackPath(), null));

    Back foreign = authorize(sso, "tenant=" + sso.slug());
    idp.swapNextIdToken(sso.issuerId(), idp.signed(other.issuerId(), "sub-mal", sso.clientId(),
        withNonce(person, foreign.nonce()), 3600));
    assertVerificationFailed(api.get(foreign.callbackPath(), null));

    Back nonce = authorize(sso, "tenant=" + sso.slug());
    idp.swapNextIdToken(sso.issuerId(), idp.signed(sso.issuerId(), "sub-mal", sso.clientId(),
        withNonce(person, "another-login's-nonce"), 3600));
    assertVerificationFailed(api.get(nonce.callbackPath(), null));

    assertThat(members(sso)).noneMatch(m -> ("mal@" + sso.domain()).equals(m.getString("email")));
  }

  @Test
  void aStateWorksOnce() {
    Sso sso = configured(Clinic.in("us"), "idp-" + UUID.randomUUID());
    idp.nextLogin(sso.issuerId(), "sub-once", sso.clientId(), Map.of("email", "once@" + sso.domain(),
        "groups", List.of("Physicians")));
    Back back = authorize(sso, "tenant=" + sso.slug());
    expect(api.get(back.callbackPath(), null), 200);
    assertThat(expect(api.get(back.callbackPath(), null), 401).json().getString("detail"))
        .contains("already finished");
    expect(api.get("/v1/auth/sso/callback?state=made-up&code=x", null), 401);
  }

  @Test
  void anAppGetsAOneTimeCodeBoundToItsPkceVerifierNeverATokenInTheUrl() throws Exception {
    Sso sso = configured(Clinic.in("us"), "idp-" + UUID.randomUUID());
    String verifier = "app-verifier-" + UUID.randomUUID() + "-0123456789";
    String query = "tenant=" + sso.slug() + "&redirectUri=" + APP_REDIRECT + "&codeChallenge=" + challenge(verifier)
        + "&codeChallengeMethod=S256";
    idp.nextLogin(sso.issuerId(), "sub-app", sso.clientId(), Map.of("email", "app@" + sso.domain(),
        "groups", List.of("Nurses")));
    Api.Response redirected = expect(api.get(authorize(sso, query).callbackPath(), null), 302);
    String location = redirected.header("Location");
    assertThat(location).startsWith(APP_REDIRECT + "?code=").doesNotContain("eyJ");
    String code = URLDecoder.decode(location.substring(location.indexOf("code=") + 5), StandardCharsets.UTF_8);

    expect(api.post("/v1/auth/sso/token", null, new JsonObject().put("code", code)
        .put("codeVerifier", "a-different-verifier-" + UUID.randomUUID())), 401);
    idp.nextLogin(sso.issuerId(), "sub-app", sso.clientId(), Map.of("email", "app@" + sso.domain(),
        "groups", List.of("Nurses")));
    String again = api.get(authorize(sso, query).callbackPath(), null).header("Location");
    String code2 = URLDecoder.decode(again.substring(again.indexOf("code=") + 5), StandardCharsets.UTF_8);
    JsonObject tokens = expect(api.post("/v1/auth/sso/token", null, new JsonObject().put("code", code2)
        .put("codeVerifier", verifier)), 200).json();
    assertThat(tokens.getJsonObject("activeTenant").getJsonArray("roles")).containsExactly("nurse");
    expect(api.post("/v1/auth/sso/token", null, new JsonObject().put("code", code2).put("codeVerifier", verifier)),
        401);

    expect(api.get("/v1/auth/sso/start?tenant=" + sso.slug() + "&redirectUri=evil.app:/steal&codeChallenge="
        + challenge(verifier), null), 400);
    expect(api.get("/v1/auth/sso/start?tenant=" + sso.slug() + "&redirectUri=" + APP_REDIRECT, null), 400);
  }

  @Test
  void requireSsoRefusesStaffPasswordsButNotTheBreakGlassAdmin() {
    Clinic clinic = Clinic.in("us");
    Sso sso = configured(clinic, "idp-" + UUID.randomUUID());
    String path = "/v1/tenants/" + clinic.tenant.id() + "/sso";
    JsonObject settings = settings(sso).put("requireSso", true);
    expect(api.put(path, clinic.token(clinic.admin), settings.copy().put("breakGlassUserId",
        clinic.doctor.id().toString())), 422);
    expect(api.put(path, clinic.token(clinic.admin), settings.copy()), 400);
    expect(api.put(path, clinic.token(clinic.admin), settings.copy().put("breakGlassUserId",
        clinic.admin.id().toString())), 200);

    Api.Response refused = expect(clinic.platform.api().post("/v1/auth/login", null, new JsonObject()
        .put("email", clinic.desk.email()).put("password", TestPlatform.PASSWORD)), 403);
    assertThat(refused.json().getString("detail")).contains("single sign-on").contains("/v1/auth/sso/start");
    expect(clinic.platform.api().post("/v1/auth/login", null, new JsonObject()
        .put("email", clinic.admin.email()).put("password", TestPlatform.PASSWORD)), 200);

    Clinic elsewhere = Clinic.in("us");
    clinic.platform.join(elsewhere.doctor, clinic.tenant, "physician");
    Api.Response carried = expect(api.post("/v1/auth/switch-tenant", elsewhere.token(elsewhere.doctor),
        new JsonObject().put("tenantId", clinic.tenant.id().toString())), 403);
    assertThat(carried.json().getString("detail")).as("a password session carried over").contains("single sign-on");
  }

  @Test
  void oneIdentitySignsInToTwoTenantsAndSwitchesBetweenThem() {
    String issuerId = "idp-network-" + UUID.randomUUID();
    Sso a = configured(Clinic.in("us"), issuerId);
    Sso b = configured(Clinic.in("eu"), issuerId, a.domain());
    String email = "rivera@" + a.domain();
    Map<String, Object> claims = Map.of("email", email, "groups", List.of("Physicians"));
    idp.nextLogin(issuerId, "sub-rivera", a.clientId(), claims);
    JsonObject inA = expect(api.get(authorize(a, "tenant=" + a.slug()).callbackPath(), null), 200).json();
    idp.nextLogin(issuerId, "sub-rivera", b.clientId(), claims);
    JsonObject inB = expect(api.get(authorize(b, "tenant=" + b.slug()).callbackPath(), null), 200).json();
    String userA = expect(api.get("/v1/auth/me", inA.getString("accessToken")), 200).json().getString("userId");
    assertThat(expect(api.get("/v1/auth/me", inB.getString("accessToken")), 200).json().getString("userId"))
        .isEqualTo(userA);
    assertThat(inB.getJsonArray("memberships")).hasSize(2);
    expect(api.get("/v1/auth/sso/start?email=" + email, null), 409);
    JsonObject switched = expect(api.post("/v1/auth/switch-tenant", inB.getString("accessToken"),
        new JsonObject().put("tenantId", a.clinic().tenant.id().toString())), 200).json();
    assertThat(switched.getJsonObject("activeTenant").getString("tenantId"))
        .isEqualTo(a.clinic().tenant.id().toString());
  }

  @Test
  void anotherTenantsAdminCannotReachThisTenantsProviderOrMapping() {
    Clinic a = Clinic.in("us");
    Clinic b = Clinic.in("us");
    Sso sso = configured(a, "idp-" + UUID.randomUUID());
    String ssoPath = "/v1/tenants/" + a.tenant.id() + "/sso";
    String mappingPath = "/v1/tenants/" + a.tenant.id() + "/role-mapping";
    JsonObject shown = expect(api.get(ssoPath, a.token(a.admin)), 200).json();
    assertThat(shown.getString("clientId")).isEqualTo(sso.clientId());
    assertThat(shown.encode()).doesNotContain("secret-of-");
    assertThat(shown.getString("callbackUri")).endsWith("/v1/auth/sso/callback");

    // A path naming a tenant other than the token's is refused by the tenant resolver before any handler (403, as
    // for every /v1/tenants/{tenantId} route), so nothing of A's provider or mapping is read, written or disclosed;
    // B's own path shows B has no provider (404), never A's.
    String bAdmin = b.token(b.admin);
    expect(api.get(ssoPath, bAdmin), 403);
    expect(api.put(ssoPath, bAdmin, settings(sso)), 403);
    expect(api.delete(ssoPath, bAdmin), 403);
    expect(api.get(mappingPath, bAdmin), 403);
    expect(api.put(mappingPath, bAdmin, new JsonObject().put("rules", new JsonArray())), 403);
    expect(api.get("/v1/tenants/" + b.tenant.id() + "/sso", bAdmin), 404);
    assertThat(expect(api.get(ssoPath, a.token(a.admin)), 200).json().getString("clientId"))
        .as("A's provider untouched").isEqualTo(sso.clientId());
    expect(api.get(ssoPath, a.token(a.desk)), 403);
    assertThat(expect(api.get(mappingPath, a.token(a.admin)), 200).json().getJsonArray("rules")).hasSize(3);
  }

  @Test
  void theMappingTakesOnlyStaffRolesAndTheSecretIsSealed() {
    Clinic clinic = Clinic.in("us");
    String path = "/v1/tenants/" + clinic.tenant.id() + "/role-mapping";
    String admin = clinic.token(clinic.admin);
    for (String role : List.of("patient", "platform_owner")) {
      expect(api.put(path, admin, new JsonObject().put("rules", new JsonArray()
          .add(new JsonObject().put("value", "Everyone").put("role", role)))), 422);
    }
    expect(api.put(path, admin, new JsonObject().put("rules", new JsonArray()
        .add(new JsonObject().put("value", "Everyone").put("role", "wizard")))), 400);
    expect(api.put("/v1/tenants/" + clinic.tenant.id() + "/sso", admin, new JsonObject()
        .put("issuer", "http://idp.example/realms/x").put("clientId", "c").put("clientSecret", "s")), 400);
    expect(api.put("/v1/tenants/" + clinic.tenant.id() + "/sso", admin, new JsonObject()
        .put("issuer", idp.issuer("idp-" + UUID.randomUUID())).put("clientId", "c")), 400);
  }

  private Sso configured(Clinic clinic, String issuerId) {
    return configured(clinic, issuerId, clinic.tenant.slug() + ".example");
  }

  private Sso configured(Clinic clinic, String issuerId, String domain) {
    Sso sso = new Sso(clinic, issuerId, "caduceus-" + clinic.tenant.slug(), domain);
    String admin = clinic.token(clinic.admin);
    expect(api.put("/v1/tenants/" + clinic.tenant.id() + "/sso", admin, settings(sso)), 200);
    expect(api.put("/v1/tenants/" + clinic.tenant.id() + "/role-mapping", admin, new JsonObject().put("rules",
        new JsonArray()
            .add(new JsonObject().put("value", "Physicians").put("role", "physician"))
            .add(new JsonObject().put("claim", "groups").put("value", "Nurses").put("role", "nurse"))
            .add(new JsonObject().put("claim", "department").put("value", "front-desk").put("role", "receptionist")))),
        200);
    return sso;
  }

  private JsonObject settings(Sso sso) {
    return new JsonObject().put("issuer", idp.issuer(sso.issuerId())).put("clientId", sso.clientId())
        .put("clientSecret", "secret-of-" + sso.clientId()).put("emailDomains", new JsonArray().add(sso.domain()))
        .put("redirectUris", new JsonArray().add(APP_REDIRECT));
  }

  // Start, then the provider's authorization endpoint, which sends the browser back with a code and the state.
  private Back authorize(Sso sso, String startQuery) {
    Api.Response start = expect(api.get("/v1/auth/sso/start?" + startQuery, null), 302);
    URI authorization = URI.create(start.header("Location"));
    assertThat(authorization.toString()).startsWith(idp.issuer(sso.issuerId())).contains("code_challenge=")
        .contains("code_challenge_method=S256").contains("nonce=").contains("state=");
    try {
      HttpResponse<String> answer = browser.send(HttpRequest.newBuilder(authorization).GET()
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(302);
      URI back = URI.create(answer.headers().firstValue("Location").orElseThrow());
      return new Back(back.getRawPath() + "?" + back.getRawQuery(), query(authorization, "nonce"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private List<JsonObject> members(Sso sso) {
    return expect(api.get("/v1/tenants/" + sso.clinic().tenant.id() + "/users?limit=100",
        sso.clinic().token(sso.clinic().admin)), 200).items().stream().map(o -> (JsonObject) o).toList();
  }

  private static void assertVerificationFailed(Api.Response response) {
    assertThat(expect(response, 401).json().getString("detail")).contains("failed verification");
  }

  private static Map<String, Object> withNonce(Map<String, Object> claims, String nonce) {
    Map<String, Object> all = new java.util.HashMap<>(claims);
    all.put("nonce", nonce);
    return all;
  }

  private static String query(URI uri, String name) {
    for (String pair : uri.getRawQuery().split("&")) {
      if (pair.startsWith(name + "=")) {
        return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("no " + name + " in " + uri);
  }

  private static String challenge(String verifier) throws NoSuchAlgorithmException {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }
}
