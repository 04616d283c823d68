package io.caduceus.api.quota;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Request quotas per tenant and per user, weighted by what an operation costs, with the RateLimit headers. */
class QuotaTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();
  private final String owner = platform.token(platform.platformOwner());

  private void quotas(Clinic clinic, JsonObject body) {
    expect(api.put("/v1/platform/tenants/" + clinic.tenant.id() + "/quotas", owner, body), 200);
  }

  private static JsonObject quota(double perSecond, int burst) {
    return new JsonObject().put("perSecond", perSecond).put("burst", burst);
  }

  @Test
  void aTenantPastItsQuotaGets429WithRetryAfterWhileAnotherTenantIsServed() {
    Clinic noisy = Clinic.in("us");
    Clinic quiet = Clinic.in("us");
    String patient = noisy.patient("Busy", "Bea").getString("id");
    String desk = noisy.token(noisy.desk);
    quotas(noisy, new JsonObject().put("tenant", quota(0.2, 4)));

    Api.Response first = expect(api.get("/v1/patients/" + patient, desk), 200);
    assertThat(first.header("RateLimit-Policy")).isEqualTo("\"tenant\";q=4;w=20");
    assertThat(first.header("RateLimit")).isEqualTo("\"tenant\";r=3;t=0");
    expect(api.get("/v1/patients/" + patient, desk), 200);
    expect(api.get("/v1/patients/" + patient, desk), 200);
    expect(api.get("/v1/patients/" + patient, desk), 200);
    Api.Response refused = expect(api.get("/v1/patients/" + patient, desk), 429);
    assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 5L);
    assertThat(refused.json().getString("type")).isEqualTo("urn:caduceus:problem:too-many-requests");
    assertThat(refused.body()).doesNotContain("Busy");
    // A colleague in the same tenant shares the tenant's quota; another tenant does not.
    expect(api.get("/v1/patients/" + patient, noisy.token(noisy.doctor)), 429);
    String other = quiet.patient("Calm", "Cal").getString("id");
    expect(api.get("/v1/patients/" + other, quiet.token(quiet.desk)), 200);
  }

  @Test
  void aListCostsMoreThanAReadAndAUserCanBeHeldToLessThanTheTenant() {
    Clinic clinic = Clinic.in("us");
    String patient = clinic.patient("Weighted", "Wes").getString("id");
    quotas(clinic, new JsonObject().put("tenant", quota(0.1, 100)).put("users", new JsonArray()
        .add(quota(0.1, 6).put("userId", clinic.desk.id().toString()))));
    String desk = clinic.token(clinic.desk);
    expect(api.get("/v1/patients?limit=5", desk), 200);
    expect(api.get("/v1/patients/" + patient, desk), 200);
    Api.Response refused = expect(api.get("/v1/patients/" + patient, desk), 429);
    assertThat(refused.header("RateLimit-Policy")).startsWith("\"user\";q=6");
    expect(api.get("/v1/patients/" + patient, clinic.token(clinic.doctor)), 200);

    JsonObject shown = expect(api.get("/v1/platform/tenants/" + clinic.tenant.id() + "/quotas", owner), 200).json();
    assertThat(shown.getJsonObject("tenant").getInteger("burst")).isEqualTo(100);
    assertThat(shown.getJsonArray("users").getJsonObject(0).getString("userId")).isEqualTo(clinic.desk.id().toString());
    expect(api.get("/v1/platform/tenants/" + clinic.tenant.id() + "/quotas", clinic.token(clinic.admin)), 403);
    expect(api.get("/v1/platform/tenants/" + UUID.randomUUID() + "/quotas", owner), 404);
  }
}
