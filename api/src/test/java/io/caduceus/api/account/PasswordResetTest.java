package io.caduceus.api.account;

import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Mailbox;
import io.caduceus.api.testing.PlatformMail;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Password reset by an emailed single-use link: the mail arrives through the platform tenant's email channel, its
 * link works once and for a while only, using it ends every session, and neither the answer nor the outbox gives
 * anything away.
 */
class PasswordResetTest extends ClinicFixture {

  private static final String NEW_PASSWORD = "a-brand-new-password-2026";

  @Test
  void theEmailedLinkSetsANewPasswordOnceAndEndsEverySession() {
    Mailbox mailbox = PlatformMail.mailbox();
    TestUser user = platform.user(clinic.tenant, "physician");
    JsonObject first = platform.login(user).json();
    JsonObject second = platform.login(user).json();

    expect(api.post("/v1/auth/password-reset", null, new JsonObject().put("email", user.email())), 202);
    String mail = mailbox.nextTo(user.email());
    String token = PlatformMail.token(mail, "/password-reset");
    assertThat(mail).contains("Test Platform").contains("30 minutes");

    // The token rests nowhere in clear: not in the platform tenant's outbox, not in its message.
    assertThat(platformRows("SELECT payload::text AS t FROM outbox_event WHERE tenant_id = ?::uuid"
        + " AND topic = 'account.password_reset'")).isNotEmpty().noneMatch(t -> t.contains(token));
    List<String> stored = Await.until(() -> platformRows("SELECT coalesce(content::text, '') || variables::text AS t"
        + " FROM message WHERE tenant_id = ?::uuid AND topic = 'account.password_reset' AND status = 'sent'"),
        found -> !found.isEmpty(), Duration.ofSeconds(30));
    assertThat(stored).noneMatch(t -> t.contains(token));

    JsonObject confirm = new JsonObject().put("token", token).put("newPassword", NEW_PASSWORD);
    expect(api.post("/v1/auth/password-reset/confirm", null, confirm), 204);
    expect(api.post("/v1/auth/password-reset/confirm", null, confirm), 409);

    // Every session ended: access tokens on their next request, refresh tokens at once.
    expect(api.get("/v1/auth/me", first.getString("accessToken")), 401);
    expect(api.get("/v1/auth/me", second.getString("accessToken")), 401);
    expect(api.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", first.getString("refreshToken"))),
        401);
    // The old password no longer opens the account; the new one does.
    expect(api.post("/v1/auth/login", null, new JsonObject().put("email", user.email())
        .put("password", "test-password-12345")), 401);
    expect(api.post("/v1/auth/login", null, new JsonObject().put("email", user.email())
        .put("password", NEW_PASSWORD)), 200);
  }

  @Test
  void anUnknownEmailGetsTheSameAnswerAndNothingIsSent() {
    Mailbox mailbox = PlatformMail.mailbox();
    String nobody = "nobody-" + UUID.randomUUID() + "@nowhere.test";
    TestUser user = platform.user(clinic.tenant, "receptionist");
    Api.Response unknown = expect(api.post("/v1/auth/password-reset", null, new JsonObject().put("email", nobody)),
        202);
    Api.Response known = expect(api.post("/v1/auth/password-reset", null, new JsonObject().put("email",
        user.email())), 202);
    assertThat(unknown.body()).isEqualTo(known.body());
    // The known address's mail arrives; by then the unknown one, asked for first, has made nothing.
    mailbox.nextTo(user.email());
    assertThat(Sql.query(platform.superuser("global"), "SELECT id FROM account_token WHERE lower(email) = lower(?)",
        nobody)).isEmpty();
    assertThat(platformRows("SELECT payload::text AS t FROM outbox_event WHERE tenant_id = ?::uuid"
        + " AND topic = 'account.password_reset'")).noneMatch(t -> t.contains(nobody));
  }

  @Test
  void anExpiredOrUnknownOrReplacedLinkIsRefused() {
    Mailbox mailbox = PlatformMail.mailbox();
    TestUser user = platform.user(clinic.tenant, "nurse");
    expect(api.post("/v1/auth/password-reset", null, new JsonObject().put("email", user.email())), 202);
    String older = PlatformMail.token(mailbox.nextTo(user.email()), "/password-reset");
    expect(api.post("/v1/auth/password-reset", null, new JsonObject().put("email", user.email())), 202);
    String newer = PlatformMail.token(mailbox.nextTo(user.email()), "/password-reset");

    // A newer link replaces the older one.
    Api.Response replaced = expect(api.post("/v1/auth/password-reset/confirm", null, new JsonObject()
        .put("token", older).put("newPassword", NEW_PASSWORD)), 409);
    assertThat(replaced.json().getString("detail")).contains("already used or replaced");

    Sql.update(platform.superuser("global"), "UPDATE account_token SET expires_at = now() - interval '1 minute'"
        + " WHERE email = ? AND used_at IS NULL", user.email());
    Api.Response expired = expect(api.post("/v1/auth/password-reset/confirm", null, new JsonObject()
        .put("token", newer).put("newPassword", NEW_PASSWORD)), 409);
    assertThat(expired.json().getString("detail")).contains("expired");
    expect(api.post("/v1/auth/password-reset/confirm", null, new JsonObject()
        .put("token", "x".repeat(43)).put("newPassword", NEW_PASSWORD)), 404);
    // The password did not change.
    platform.login(user);
  }

  @Test
  void aNewPasswordFollowsThePasswordRulesAndRequestsAreThrottled() {
    Api.Response tooShort = expect(api.post("/v1/auth/password-reset/confirm", null, new JsonObject()
        .put("token", "y".repeat(43)).put("newPassword", "short")), 400);
    assertThat(tooShort.body()).contains("/newPassword");
    expect(api.post("/v1/auth/password-reset", null, new JsonObject().put("email", "not an email")), 400);

    String email = "throttled-" + UUID.randomUUID() + "@nowhere.test";
    for (int i = 0; i < 5; i++) {
      expect(api.post("/v1/auth/password-reset", null, new JsonObject().put("email", email)), 202);
    }
    Api.Response throttled = expect(api.post("/v1/auth/password-reset", null, new JsonObject().put("email", email)),
        429);
    assertThat(Integer.parseInt(throttled.header("Retry-After"))).isPositive();
  }

  @Test
  void anAccountEmailsWordingGoesByEmailOnlyAndMustCarryItsLink() {
    String admin = clinic.token(clinic.admin);
    expect(api.put("/v1/engagement/templates/account.password_reset/sms/en", admin, new JsonObject()
        .put("body", "Reset: {{link}}")), 422);
    expect(api.put("/v1/engagement/templates/account.password_reset/email/en", admin, new JsonObject()
        .put("subject", "Reset").put("body", "Reset your password with {{tenantName}}.")), 422);
    expect(api.put("/v1/engagement/templates/account.email_verification/email/en", admin, new JsonObject()
        .put("subject", "Confirm").put("body", "Confirm your address: {{link}}")), 200);
  }

  private List<String> platformRows(String sql) {
    return Sql.query(platform.superuser(platform.platformOwner().tenant()), sql,
        platform.platformOwner().tenant().id().toString()).stream().map(r -> (String) r.get("t")).toList();
  }
}
