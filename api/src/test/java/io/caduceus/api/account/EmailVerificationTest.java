package io.caduceus.api.account;

import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Mailbox;
import io.caduceus.api.testing.PlatformMail;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A self-registered admin's address starts unverified and is mailed a single-use link; until it is confirmed the
 * admin may not invite anyone. Accounts made any other way count as verified; a patient's mailed invitation
 * proves the address too.
 */
class EmailVerificationTest extends ClinicFixture {

  private static final String PASSWORD = "a-long-registration-password";

  @Test
  void aRegisteredAdminConfirmsTheAddressBeforeInvitingAnyone() {
    Mailbox mailbox = PlatformMail.mailbox();
    String slug = "lab-" + UUID.randomUUID().toString().substring(0, 8);
    String email = "admin@" + slug + ".test";
    String tenantId = expect(api.post("/v1/registrations", null, new JsonObject().put("kind", "lab").put("slug", slug)
        .put("name", "Verified " + slug).put("dataRegion", "us").put("locale", "en-US")
        .put("timeZone", "America/Chicago").put("admin", new JsonObject().put("email", email)
            .put("password", PASSWORD).put("displayName", "Vera Admin"))), 202)
        .json().getJsonObject("tenant").getString("id");
    String first = PlatformMail.token(mailbox.nextTo(email), "/verify-email");

    // The admin of a pending registration cannot sign in, but can ask for a new link; it replaces the first.
    expect(api.post("/v1/auth/email-verification", null, new JsonObject().put("email", email)), 202);
    String second = PlatformMail.token(mailbox.nextTo(email), "/verify-email");
    expect(api.post("/v1/platform/tenants/" + tenantId + "/approve", platform.token(platform.platformOwner()),
        null), 200);

    String admin = api.accessToken(email, PASSWORD);
    assertThat(expect(api.get("/v1/auth/me", admin), 200).json().getBoolean("emailVerified")).isFalse();
    JsonObject invitation = new JsonObject().put("email", "tech@" + slug + ".test")
        .put("roles", new JsonArray().add("lab_technician"));
    Api.Response refused = expect(api.post("/v1/tenants/" + tenantId + "/invitations", admin, invitation), 403);
    assertThat(refused.json().getString("detail")).contains("confirm your email address");

    expect(api.post("/v1/auth/email-verification/confirm", null, new JsonObject().put("token", first)), 409);
    expect(api.post("/v1/auth/email-verification/confirm", null, new JsonObject().put("token", second)), 204);
    expect(api.post("/v1/auth/email-verification/confirm", null, new JsonObject().put("token", second)), 409);
    expect(api.post("/v1/auth/email-verification/confirm", null, new JsonObject().put("token", "z".repeat(43))), 404);
    assertThat(expect(api.get("/v1/auth/me", admin), 200).json().getBoolean("emailVerified")).isTrue();
    expect(api.post("/v1/tenants/" + tenantId + "/invitations", admin, invitation), 201);
  }

  @Test
  void aVerifiedAccountIsSentNoLinkAndTheAnswerIsTheSameForAnyEmail() {
    TestUser user = platform.user(clinic.tenant, "physician");
    assertThat(expect(api.get("/v1/auth/me", clinic.token(user)), 200).json().getBoolean("emailVerified")).isTrue();
    Api.Response verified = expect(api.post("/v1/auth/email-verification", null, new JsonObject()
        .put("email", user.email())), 202);
    Api.Response unknown = expect(api.post("/v1/auth/email-verification", null, new JsonObject()
        .put("email", "nobody-" + UUID.randomUUID() + "@nowhere.test")), 202);
    assertThat(verified.body()).isEqualTo(unknown.body());
  }

  @Test
  void aPatientWhoAcceptsAMailedInvitationHasAVerifiedAddress() {
    Mailbox mailbox = Mailbox.get();
    mailbox.serve(clinic);
    String email = "verified-patient-" + UUID.randomUUID() + "@patients.test";
    String patientId = clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Checked")
        .put("given", "Vera")).put("contact", new JsonObject().put("email", email))).getString("id");
    expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/invitations", clinic.token(clinic.desk), new JsonObject()
        .put("email", email).put("roles", List.of("patient")).put("patientId", patientId)), 201);
    String token = PlatformMail.token(mailbox.nextTo(email), "/invitations/accept");
    String access = expect(api.post("/v1/invitations/accept", null, new JsonObject().put("token", token)
        .put("password", "a-long-patient-password").put("displayName", "Vera")), 200).json().getString("accessToken");
    assertThat(expect(api.get("/v1/auth/me", access), 200).json().getBoolean("emailVerified")).isTrue();
  }
}
