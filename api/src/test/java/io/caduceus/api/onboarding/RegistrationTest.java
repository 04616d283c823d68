package io.caduceus.api.onboarding;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.error.TooManyRequests;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.PlatformMail;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A lab, pharmacy or insurer registers itself, waits as pending, and acts once the platform approves it. */
class RegistrationTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void aPharmacyRegistersWaitsForApprovalThenItsAdminInvitesStaff() {
    PlatformMail.mailbox();
    String slug = "pharmacy-" + UUID.randomUUID().toString().substring(0, 8);
    String email = "owner@" + slug + ".test";
    JsonObject registered = expect(register(slug, "pharmacy", email, "10.0.0.1"), 202).json();
    JsonObject tenant = registered.getJsonObject("tenant");
    assertThat(tenant.getString("status")).isEqualTo("pending");
    String tenantId = tenant.getString("id");

    Api.Response early = api.post("/v1/auth/login", null, new JsonObject().put("email", email)
        .put("password", "a-long-pharmacy-password"));
    expect(early, 403);
    assertThat(early.json().getString("detail")).contains("awaiting the platform's approval");

    String owner = platform.token(platform.platformOwner());
    assertThat(expect(api.get("/v1/platform/tenants?status=pending&kind=pharmacy", owner), 200).items().stream()
        .map(t -> ((JsonObject) t).getString("id"))).contains(tenantId);
    expect(api.post("/v1/platform/tenants/" + tenantId + "/approve", owner, null), 200);
    expect(api.post("/v1/platform/tenants/" + tenantId + "/approve", owner, null), 409);

    String admin = expect(api.post("/v1/auth/login", null, new JsonObject().put("email", email)
        .put("password", "a-long-pharmacy-password")), 200).json().getString("accessToken");
    // A self-registered admin confirms their address (the link mailed at registration) before inviting anyone.
    String verification = PlatformMail.token(PlatformMail.mailbox().nextTo(email), "/verify-email");
    expect(api.post("/v1/auth/email-verification/confirm", null, new JsonObject().put("token", verification)), 204);
    expect(api.post("/v1/tenants/" + tenantId + "/invitations", admin, new JsonObject()
        .put("email", "rx@" + slug + ".test").put("roles", new JsonArray().add("pharmacist"))), 201);
    assertThat(Sql.query(platform.superuser("us"), "SELECT action FROM audit_event WHERE tenant_id = ?::uuid"
        + " AND action = 'tenant.register'", tenantId)).hasSize(1);
  }

  @Test
  void anExistingAccountMustProveItsPasswordToRegisterAnOrganisation() {
    String slug = "lab-" + UUID.randomUUID().toString().substring(0, 8);
    String email = "someone@" + slug + ".test";
    expect(register(slug, "lab", email, "10.0.0.2"), 202);
    JsonObject body = body(slug + "-2", "lab", email, "10.0.0.2");
    body.getJsonObject("admin").put("password", "not-the-right-password");
    expect(api.post("/v1/registrations", null, body), 401);
  }

  @Test
  void registrationsFromOneAddressAreThrottled() {
    String address = "203.0.113." + (int) (Math.random() * 250);
    for (int i = 0; i < 1000; i++) {
      await(platform.throttle().admitRegistration(address));
    }
    assertThatThrownBy(() -> await(platform.throttle().admitRegistration(address)))
        .hasRootCauseInstanceOf(TooManyRequests.class);
  }

  @Test
  void clinicsAndBadRegionsAreRefusedAndSlugsAreUnique() {
    String slug = "clinic-" + UUID.randomUUID().toString().substring(0, 8);
    expect(register(slug, "clinic", "a@" + slug + ".test", "10.0.0.3"), 400);
    JsonObject badRegion = body(slug, "lab", "a@" + slug + ".test", "10.0.0.3").put("dataRegion", "mars");
    expect(api.post("/v1/registrations", null, badRegion), 400);
    JsonObject nameless = body(slug, "lab", "a@" + slug + ".test", "10.0.0.3");
    nameless.getJsonObject("admin").remove("displayName");
    Api.Response noName = expect(api.post("/v1/registrations", null, nameless), 400);
    assertThat(noName.json().getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/admin/displayName");
    expect(register(slug, "lab", "a@" + slug + ".test", "10.0.0.3"), 202);
    expect(register(slug, "insurer", "b@" + slug + ".test", "10.0.0.3"), 409);
  }

  @Test
  void thePlatformCanRefuseARegistrationBySuspendingIt() {
    String slug = "insurer-" + UUID.randomUUID().toString().substring(0, 8);
    String tenantId = expect(register(slug, "insurer", "x@" + slug + ".test", "10.0.0.4"), 202).json()
        .getJsonObject("tenant").getString("id");
    String owner = platform.token(platform.platformOwner());
    expect(api.post("/v1/platform/tenants/" + tenantId + "/suspend", owner, null), 200);
    expect(api.post("/v1/platform/tenants/" + tenantId + "/approve", owner, null), 409);
    expect(api.post("/v1/platform/tenants/" + UUID.randomUUID() + "/approve", owner, null), 404);
  }

  private Api.Response register(String slug, String kind, String email, String address) {
    return api.post("/v1/registrations", null, body(slug, kind, email, address));
  }

  private static JsonObject body(String slug, String kind, String email, String address) {
    return new JsonObject().put("kind", kind).put("slug", slug).put("name", "Registered " + slug)
        .put("dataRegion", "us").put("locale", "en-US").put("timeZone", "America/Chicago")
        .put("admin", new JsonObject().put("email", email).put("password", "a-long-" + kind + "-password")
            .put("displayName", "Owner " + address));
  }
}
