package io.caduceus.api.auth;

import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant's "security" configuration sets how long its sessions last (sessionMinutes): its logins' refresh tokens and
 * access tokens end at that length, refreshing does not extend it, and other tenants keep the platform's length.
 */
class SessionLengthTest extends ClinicFixture {

  private static final Duration PLATFORM = Duration.ofDays(30);
  private static final Duration ACCESS = Duration.ofSeconds(600);

  @Test
  void aTenantWithAShortSessionGetsSessionsEndingAtThatLengthAndOthersKeepTheDefault() {
    Clinic other = Clinic.in("us");
    JsonObject before = platform.login(clinic.desk).json();
    assertWithin(before.getLong("refreshExpiresIn"), PLATFORM);
    assertThat(before.getLong("expiresIn")).isEqualTo(ACCESS.toSeconds());

    String admin = clinic.token(clinic.admin);
    String path = "/v1/tenants/" + clinic.tenant.id() + "/config/security/scopes/tenant";
    String etag = expect(api.get(path, admin), 200).header("ETag");
    expect(api.send("PUT", path, admin, new JsonObject().put("sessionMinutes", 4).encode(),
        Map.of("If-Match", etag)), 422);
    expect(api.send("PUT", path, admin, new JsonObject().put("sessionMinutes", 5).encode(),
        Map.of("If-Match", etag)), 200);

    Instant loggedIn = Instant.now();
    JsonObject shortOne = platform.login(clinic.desk).json();
    assertWithin(shortOne.getLong("refreshExpiresIn"), Duration.ofMinutes(5));
    assertWithin(shortOne.getLong("expiresIn"), Duration.ofMinutes(5));
    long exp = claims(shortOne.getString("accessToken")).getLong("exp");
    assertThat(exp).isBetween(loggedIn.getEpochSecond() + 240, Instant.now().getEpochSecond() + 300);
    expect(api.get("/v1/patients", shortOne.getString("accessToken")), 200);
    // Refreshing keeps the session's end.
    JsonObject refreshed = expect(api.post("/v1/auth/refresh", null,
        new JsonObject().put("refreshToken", shortOne.getString("refreshToken"))), 200).json();
    assertThat(refreshed.getLong("refreshExpiresIn")).isLessThanOrEqualTo(shortOne.getLong("refreshExpiresIn"));
    assertThat(claims(refreshed.getString("accessToken")).getLong("exp")).isLessThanOrEqualTo(exp);

    // Another tenant's sessions keep the platform's length.
    JsonObject elsewhere = platform.login(other.desk).json();
    assertWithin(elsewhere.getLong("refreshExpiresIn"), PLATFORM);
    assertThat(elsewhere.getLong("expiresIn")).isEqualTo(ACCESS.toSeconds());
  }

  /** {@code seconds} is {@code length}, give or take the minute a busy machine may take. */
  private static void assertWithin(long seconds, Duration length) {
    assertThat(seconds).isBetween(length.toSeconds() - 60, length.toSeconds());
  }

  private static JsonObject claims(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }
}
