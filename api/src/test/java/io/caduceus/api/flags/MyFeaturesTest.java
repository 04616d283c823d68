package io.caduceus.api.flags;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Conformance;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/me/features}: the caller's own app sees every flag evaluated for its user (scope precedence, user
 * rules, the kill switch) and its tenant's modules, and nothing of another tenant's rules.
 */
class MyFeaturesTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();
  private final Conformance contract = Conformance.get();
  private final String owner = platform.token(platform.platformOwner());

  private String newFlag(String kind, JsonObject variants, String defaultVariant) {
    String key = "me." + UUID.randomUUID().toString().substring(0, 8);
    expect(api.post("/v1/platform/flags", owner, new JsonObject().put("key", key).put("kind", kind)
        .put("variants", variants).put("defaultVariant", defaultVariant).put("owner", "team-test")
        .put("description", "a flag of a test").put("expiresOn", LocalDate.now().plusDays(30).toString())), 201);
    return key;
  }

  private JsonObject features(String token) {
    return contract.check("GET", "/v1/me/features", expect(api.get("/v1/me/features", token), 200)).json();
  }

  private JsonObject flag(String token, String key) {
    return features(token).getJsonArray("flags").stream().map(JsonObject.class::cast)
        .filter(f -> key.equals(f.getString("key"))).findFirst().orElseThrow();
  }

  private static JsonObject module(JsonObject features, String name) {
    return features.getJsonArray("modules").stream().map(JsonObject.class::cast)
        .filter(m -> name.equals(m.getString("module"))).findFirst().orElseThrow();
  }

  private void rule(String key, JsonObject rule) {
    expect(api.post("/v1/platform/flags/" + key + "/rules", owner, rule), 200);
  }

  @Test
  void theMostSpecificScopeDecidesWhatTheCallerSeesDownToItsOwnUser() {
    Clinic clinic = Clinic.in("us");
    Clinic other = Clinic.in("us");
    String key = newFlag("string", new JsonObject().put("base", "base").put("g", "global").put("r", "region")
        .put("k", "kind").put("t", "tenant").put("u", "user"), "base");
    String doctor = clinic.token(clinic.doctor);
    JsonObject before = flag(doctor, key);
    assertThat(before.getString("value")).isEqualTo("base");
    assertThat(before.getString("variant")).isEqualTo("base");
    assertThat(before.getString("reason")).isEqualTo("DEFAULT");
    String tenant = clinic.tenant.id().toString();
    List<JsonObject> rules = List.of(new JsonObject().put("scope", "global").put("variant", "g"),
        new JsonObject().put("scope", "region").put("value", "us").put("variant", "r"),
        new JsonObject().put("scope", "tenant_kind").put("value", "clinic").put("variant", "k"),
        new JsonObject().put("scope", "tenant").put("tenantId", tenant).put("variant", "t"),
        new JsonObject().put("scope", "user").put("tenantId", tenant).put("value", clinic.doctor.id().toString())
            .put("variant", "u"));
    List<String> expected = List.of("global", "region", "kind", "tenant", "user");
    for (int i = 0; i < rules.size(); i++) {
      rule(key, rules.get(i));
      JsonObject seen = flag(doctor, key);
      assertThat(seen.getString("value")).as("after the %s rule", expected.get(i)).isEqualTo(expected.get(i));
      assertThat(seen.getString("reason")).isEqualTo("TARGETING_MATCH");
    }
    assertThat(flag(clinic.token(clinic.nurse), key).getString("value")).as("a colleague: the tenant's rule")
        .isEqualTo("tenant");
    assertThat(flag(other.token(other.doctor), key).getString("value"))
        .as("another clinic: neither the tenant's rule nor the user's").isEqualTo("kind");
  }

  @Test
  void aUserRuleTurnsAFlagOnForThatUserAloneAndTheKillSwitchTurnsItOffForEveryone() {
    Clinic clinic = Clinic.in("us");
    String key = newFlag("boolean", new JsonObject().put("on", true).put("off", false), "off");
    rule(key, new JsonObject().put("scope", "user").put("tenantId", clinic.tenant.id().toString())
        .put("value", clinic.nurse.id().toString()).put("variant", "on"));
    String nurse = clinic.token(clinic.nurse);
    JsonObject on = flag(nurse, key);
    assertThat(on.getBoolean("value")).isTrue();
    assertThat(on.getString("variant")).isEqualTo("on");
    assertThat(flag(clinic.token(clinic.doctor), key).getBoolean("value")).as("only that user").isFalse();
    expect(api.put("/v1/platform/flags/" + key + "/kill-switch", owner, new JsonObject().put("variant", "off")), 200);
    JsonObject killed = flag(nurse, key);
    assertThat(killed.getBoolean("value")).isFalse();
    assertThat(killed.getString("reason")).isEqualTo(FlagEvaluator.KILL_SWITCH);
    expect(api.delete("/v1/platform/flags/" + key + "/kill-switch", owner), 200);
    assertThat(flag(nurse, key).getBoolean("value")).isTrue();
  }

  @Test
  void theCallerSeesItsOwnTenantsModulesOnly() {
    Clinic clinic = Clinic.in("us");
    Clinic other = Clinic.in("us");
    String doctor = clinic.token(clinic.doctor);
    JsonObject all = features(doctor);
    assertThat(all.getJsonArray("modules")).hasSize(ProductModule.values().length);
    assertThat(module(all, "telehealth").getBoolean("on")).isTrue();
    expect(api.put("/v1/tenants/" + clinic.tenant.id() + "/modules/telehealth", clinic.token(clinic.admin),
        new JsonObject().put("enabled", false)), 200);
    JsonObject off = module(features(doctor), "telehealth");
    assertThat(off.getBoolean("on")).isFalse();
    assertThat(off.getString("variant")).isEqualTo("off");
    assertThat(module(features(other.token(other.doctor)), "telehealth").getBoolean("on")).isTrue();
    JsonArray flags = features(doctor).getJsonArray("flags");
    List<String> keys = flags.stream().map(f -> ((JsonObject) f).getString("key")).toList();
    assertThat(keys).as("in key order").isSorted();
  }

  @Test
  void anUnauthenticatedCallerIsRefused() {
    expect(api.get("/v1/me/features", null), 401);
  }
}
