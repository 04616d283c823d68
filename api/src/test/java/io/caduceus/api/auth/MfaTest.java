package io.caduceus.api.auth;

import io.caduceus.api.auth.mfa.Base32;
import io.caduceus.api.auth.mfa.Totp;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Mailbox;
import io.caduceus.api.testing.Sql;
import io.caduceus.api.testing.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Multi-factor authentication: enrol a TOTP authenticator, log in with it as a second step, replay and guessing
 * refused, recovery codes single-use and told to the user, a tenant's policy, the platform owner's rule, step-up
 * operations, and an admin's reset kept inside the admin's tenant.
 */
class MfaTest {

  private static final Totp TOTP = new Totp();

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void aUserEnrolsConfirmsLogsInWithACodeAndDisables() {
    Clinic clinic = Clinic.in("us");
    TestUser doctor = platform.user(clinic.tenant, "physician");
    String token = platform.login(doctor).json().getString("accessToken");
    assertThat(expect(api.get("/v1/auth/mfa", token), 200).json().getString("totp")).isEqualTo("none");

    JsonObject enrolment = expect(api.post("/v1/auth/mfa/totp", token, null), 200).json();
    assertThat(enrolment.getString("otpauthUri")).startsWith("otpauth://totp/Caduceus:")
        .contains("secret=" + enrolment.getString("secret")).contains("issuer=Caduceus");
    byte[] secret = Base32.decode(enrolment.getString("secret"));
    long now = Totp.step(Instant.now());
    expect(api.post("/v1/auth/mfa/totp/confirm", token, code(wrong(secret, now))), 401);
    assertThat(expect(api.get("/v1/auth/mfa", token), 200).json().getString("totp")).isEqualTo("pending");
    JsonObject enrolled = expect(api.post("/v1/auth/mfa/totp/confirm", token, code(TOTP.code(secret, now))), 200)
        .json();
    assertThat(enrolled.getJsonArray("recoveryCodes")).hasSize(10).doesNotHaveDuplicates();
    JsonObject upgraded = Tokens.payload(enrolled.getJsonObject("session").getString("accessToken"));
    assertThat(upgraded.getJsonArray("amr").getList()).contains("pwd", "otp", "mfa");
    assertThat(upgraded.getString("sid")).isEqualTo(Tokens.payload(token).getString("sid"));
    expect(api.post("/v1/auth/mfa/totp", token, null), 409);
    // At rest the secret is sealed: neither its bytes nor its base32 text are in the row.
    String stored = (String) Sql.query(platform.owner("global"), "SELECT encode(secret_sealed, 'hex') AS h"
        + " FROM user_totp WHERE user_id = ?::uuid", doctor.id().toString()).get(0).get("h");
    assertThat(stored).doesNotContain(java.util.HexFormat.of().formatHex(secret))
        .doesNotContain(java.util.HexFormat.of().formatHex(enrolment.getString("secret").getBytes()));

    // The password alone now gives a ticket, not tokens; the ticket and a fresh code give the session.
    JsonObject challenge = passwordLogin(doctor);
    assertThat(challenge.getBoolean("mfaRequired")).isTrue();
    assertThat(challenge.containsKey("accessToken")).isFalse();
    expect(api.post("/v1/auth/mfa/verify", null, ticket(challenge, TOTP.code(secret, now + 1))), 200);
    // The same ticket is spent, and the same code (its step used) is refused with a new ticket: no replay.
    expect(api.post("/v1/auth/mfa/verify", null, ticket(challenge, TOTP.code(secret, now + 1))), 401);
    expect(api.post("/v1/auth/mfa/verify", null, ticket(passwordLogin(doctor), TOTP.code(secret, now + 1))), 401);

    String mfaToken = enrolled.getJsonObject("session").getString("accessToken");
    expect(api.post("/v1/auth/mfa/totp/disable", mfaToken, code(TOTP.code(secret, now + 1))), 401);
    awaitStep(now + 1);
    expect(api.post("/v1/auth/mfa/totp/disable", mfaToken, code(TOTP.code(secret, now + 2))), 204);
    assertThat(passwordLogin(doctor).getString("accessToken")).isNotNull();
  }

  @Test
  void wrongCodesAreThrottledLikePasswords() {
    Clinic clinic = Clinic.in("us");
    TestUser nurse = platform.user(clinic.tenant, "nurse");
    platform.enrolMfa(nurse);
    JsonObject challenge = passwordLogin(nurse);
    String wrong = wrong(Base32.decode(TestPlatform.TOTP_SECRET), Totp.step(Instant.now()));
    int status = 0;
    for (int i = 0; i < 8 && status != 429; i++) {
      status = api.post("/v1/auth/mfa/verify", null, ticket(challenge, wrong)).status();
      assertThat(status).isIn(401, 429);
    }
    assertThat(status).isEqualTo(429);
    // Even the right code waits out the window now.
    expect(api.post("/v1/auth/mfa/verify", null, ticket(challenge, platform.totpCode(nurse.id()))), 429);
  }

  @Test
  void aRecoveryCodeWorksOnceAndTheUserIsToldByEmail() {
    Clinic clinic = Clinic.in("us");
    Mailbox mailbox = Mailbox.get();
    mailbox.serve(clinic);
    TestUser doctor = platform.user(clinic.tenant, "physician");
    String token = platform.login(doctor).json().getString("accessToken");
    byte[] secret = Base32.decode(expect(api.post("/v1/auth/mfa/totp", token, null), 200).json().getString("secret"));
    JsonArray codes = expect(api.post("/v1/auth/mfa/totp/confirm", token,
        code(TOTP.code(secret, Totp.step(Instant.now())))), 200).json().getJsonArray("recoveryCodes");
    String recovery = codes.getString(3);

    JsonObject session = expect(api.post("/v1/auth/mfa/verify", null, new JsonObject()
        .put("mfaTicket", passwordLogin(doctor).getString("mfaTicket")).put("recoveryCode", recovery.toUpperCase())),
        200).json();
    assertThat(Tokens.payload(session.getString("accessToken")).getJsonArray("amr").getList()).contains("mfa");
    expect(api.post("/v1/auth/mfa/verify", null, new JsonObject()
        .put("mfaTicket", passwordLogin(doctor).getString("mfaTicket")).put("recoveryCode", recovery)), 401);
    assertThat(expect(api.get("/v1/auth/mfa", session.getString("accessToken")), 200).json()
        .getInteger("recoveryCodesLeft")).isEqualTo(9);

    String mail = mailbox.nextTo(doctor.email());
    assertThat(mail).contains("recovery code").doesNotContain(recovery);
    List<String> stored = Sql.query(platform.superuser(clinic.tenant), "SELECT payload::text AS t FROM outbox_event"
        + " WHERE tenant_id = ?::uuid AND topic = 'account.recovery_code_used'", clinic.tenant.id().toString())
        .stream().map(r -> (String) r.get("t")).toList();
    assertThat(stored).hasSize(1).noneMatch(t -> t.contains(recovery));
    assertThat(Sql.query(platform.superuser(clinic.tenant), "SELECT count(*) AS n FROM audit_event"
        + " WHERE tenant_id = ?::uuid AND action = 'mfa.recovery_code_used' AND actor_user_id = ?::uuid",
        clinic.tenant.id().toString(), doctor.id().toString()).get(0).get("n")).isEqualTo(1L);
  }

  @Test
  void aPolicyForARoleGivesItsMembersWithoutMfaASessionThatCanOnlyEnrol() {
    Clinic clinic = Clinic.in("us");
    String policyPath = "/v1/tenants/" + clinic.tenant.id() + "/mfa-policy";
    String admin = clinic.token(clinic.admin);
    assertThat(expect(api.get(policyPath, admin), 200).json().getString("requiredFor")).isEqualTo("none");
    expect(api.put(policyPath, admin, new JsonObject().put("requiredFor", "roles")), 422);
    expect(api.put(policyPath, admin, new JsonObject().put("requiredFor", "roles").put("roles", List.of("nurse"))),
        200);
    expect(api.get(policyPath, clinic.token(clinic.doctor)), 403);

    TestUser nurse = platform.user(clinic.tenant, "nurse");
    JsonObject pending = platform.login(nurse).json();
    assertThat(pending.getBoolean("mfaPending")).isTrue();
    String token = pending.getString("accessToken");
    JsonObject refused = expect(api.get("/v1/patients", token), 403).json();
    assertThat(refused.getString("type")).isEqualTo("urn:caduceus:problem:mfa-required");
    expect(api.get("/v1/auth/me", token), 200);
    // A doctor is not under this policy.
    expect(api.get("/v1/patients", platform.login(platform.user(clinic.tenant, "physician")).json()
        .getString("accessToken")), 200);

    byte[] secret = Base32.decode(expect(api.post("/v1/auth/mfa/totp", token, null), 200).json().getString("secret"));
    JsonObject enrolled = expect(api.post("/v1/auth/mfa/totp/confirm", token,
        code(TOTP.code(secret, Totp.step(Instant.now())))), 200).json();
    assertThat(enrolled.getJsonObject("session").containsKey("mfaPending")).isFalse();
    expect(api.get("/v1/patients", enrolled.getJsonObject("session").getString("accessToken")), 200);
  }

  @Test
  void thePlatformOwnerCannotLogInWithoutMfa() {
    TestUser another = platform.user(platform.platformOwner().tenant(), "platform_owner");
    JsonObject session = platform.login(another).json();
    assertThat(session.getBoolean("mfaPending")).isTrue();
    JsonObject refused = expect(api.get("/v1/platform/regions", session.getString("accessToken")), 403).json();
    assertThat(refused.getString("type")).isEqualTo("urn:caduceus:problem:mfa-required");
    // The fixture's owner has MFA: the same operation answers.
    expect(api.get("/v1/platform/regions", platform.token(platform.platformOwner())), 200);
  }

  @Test
  void aStepUpOperationWantsARecentSecondFactorAndStepUpGivesIt() {
    Clinic clinic = Clinic.in("us");
    String policyPath = "/v1/tenants/" + clinic.tenant.id() + "/mfa-policy";
    JsonObject real = Tokens.payload(clinic.token(clinic.admin));
    JsonObject stale = new JsonObject().put("sub", real.getString("sub")).put("tid", real.getString("tid"))
        .put("sid", real.getString("sid")).put("roles", real.getJsonArray("roles")).put("amr", real.getJsonArray("amr"))
        .put("auth_time", Instant.now().minusSeconds(20 * 60).getEpochSecond());
    String old = platform.signed(stale, 300);
    Api.Response refused = expect(api.put(policyPath, old, new JsonObject().put("requiredFor", "all_staff")), 401);
    assertThat(refused.json().getString("type")).isEqualTo("urn:caduceus:problem:step-up-required");
    assertThat(refused.headers().get("WWW-Authenticate").get(0)).contains("insufficient_user_authentication");
    expect(api.get("/v1/tenants/" + clinic.tenant.id() + "/users", old), 200);

    JsonObject stepped = expect(api.post("/v1/auth/step-up", old, code(platform.totpCode(clinic.admin.id()))), 200)
        .json();
    JsonObject claims = Tokens.payload(stepped.getString("accessToken"));
    assertThat(claims.getString("sid")).isEqualTo(real.getString("sid"));
    assertThat(claims.getLong("auth_time")).isGreaterThan(stale.getLong("auth_time"));
    expect(api.put(policyPath, stepped.getString("accessToken"), new JsonObject().put("requiredFor", "all_staff")),
        200);
  }

  @Test
  void aTokenIssuedBeforeMfaWasRequiredCannotDoAStepUpOperation() {
    Clinic clinic = Clinic.in("us");
    TestUser second = platform.user(clinic.tenant, "tenant_admin");
    Sql.update(platform.owner("global"), "DELETE FROM user_totp WHERE user_id = ?::uuid", second.id().toString());
    JsonObject before = platform.login(second).json();
    String token = before.getString("accessToken");
    assertThat(Tokens.payload(token).getJsonArray("amr").getList()).containsExactly("pwd");

    expect(api.put("/v1/tenants/" + clinic.tenant.id() + "/mfa-policy", clinic.token(clinic.admin),
        new JsonObject().put("requiredFor", "all_staff")), 200);
    JsonObject refused = expect(api.put("/v1/tenants/" + clinic.tenant.id() + "/users/" + clinic.nurse.id()
        + "/roles", token, new JsonObject().put("roles", List.of("physician"))), 401).json();
    assertThat(refused.getString("type")).isEqualTo("urn:caduceus:problem:step-up-required");
    // Its refresh now owes the policy a second factor.
    JsonObject refreshed = expect(api.post("/v1/auth/refresh", null, new JsonObject()
        .put("refreshToken", before.getString("refreshToken"))), 200).json();
    assertThat(refreshed.getBoolean("mfaPending")).isTrue();
  }

  @Test
  void anAdminResetsAMembersMfaButNeverAnotherTenantsUser() {
    Clinic a = Clinic.in("us");
    Clinic b = Clinic.in("us");
    TestUser doctor = platform.user(a.tenant, "physician");
    platform.enrolMfa(doctor);
    String bAdmin = b.token(b.admin);
    expect(api.delete("/v1/tenants/" + b.tenant.id() + "/users/" + doctor.id() + "/mfa", bAdmin), 404);
    expect(api.delete("/v1/tenants/" + a.tenant.id() + "/users/" + doctor.id() + "/mfa", bAdmin), 403);
    assertThat(passwordLogin(doctor).getBoolean("mfaRequired")).isTrue();

    expect(api.delete("/v1/tenants/" + a.tenant.id() + "/users/" + doctor.id() + "/mfa", a.token(a.admin)), 204);
    assertThat(passwordLogin(doctor).getString("accessToken")).isNotNull();
    assertThat(Sql.query(platform.superuser(a.tenant), "SELECT count(*) AS n FROM audit_event WHERE tenant_id ="
        + " ?::uuid AND action = 'mfa.reset' AND resource_id = ?::uuid", a.tenant.id().toString(),
        doctor.id().toString()).get(0).get("n")).isEqualTo(1L);
  }

  private JsonObject passwordLogin(TestUser user) {
    return expect(api.post("/v1/auth/login", null, new JsonObject().put("email", user.email())
        .put("password", TestPlatform.PASSWORD).put("tenantId", user.tenant().id().toString())), 200).json();
  }

  private static JsonObject code(String code) {
    return new JsonObject().put("code", code);
  }

  private static JsonObject ticket(JsonObject challenge, String code) {
    return new JsonObject().put("mfaTicket", challenge.getString("mfaTicket")).put("code", code);
  }

  /** A six-digit code no step around {@code step} has. */
  private static String wrong(byte[] secret, long step) {
    for (int n = 0; ; n++) {
      String candidate = String.format("%06d", n);
      boolean used = false;
      for (long s = step - 2; s <= step + 2; s++) {
        used |= TOTP.code(secret, s).equals(candidate);
      }
      if (!used) {
        return candidate;
      }
    }
  }

  /** Waits for the clock to reach a step (the server accepts one step either side of its own). */
  private static void awaitStep(long step) {
    while (Totp.step(Instant.now()) < step) {
      try {
        Thread.sleep(250); // the condition is the clock itself
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
