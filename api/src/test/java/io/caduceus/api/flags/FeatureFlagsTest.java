package io.caduceus.api.flags;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flags end to end: the platform owner creates and targets them through the API, every change is logged in the
 * control plane, and the node's OpenFeature client answers from its snapshot; a tenant admin edits only its own
 * rules of a tenant-editable flag; the kill switch wins; expired and uniform flags show in the stale report.
 */
class FeatureFlagsTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();
  private final String owner = platform.token(platform.platformOwner());
  private final Client client = TestPlatform.flags(platform.app()).client();

  private String newFlag(String kind, JsonObject variants, String defaultVariant, boolean tenantEditable,
                         LocalDate expires) {
    String key = "test." + UUID.randomUUID().toString().substring(0, 8);
    expect(api.post("/v1/platform/flags", owner, new JsonObject().put("key", key).put("kind", kind)
        .put("variants", variants).put("defaultVariant", defaultVariant).put("owner", "team-test")
        .put("description", "a flag of a test").put("expiresOn", expires.toString())
        .put("tenantEditable", tenantEditable)), 201);
    return key;
  }

  private String booleanFlag(boolean tenantEditable) {
    return newFlag("boolean", new JsonObject().put("on", true).put("off", false), "off", tenantEditable,
        LocalDate.now().plusDays(90));
  }

  private ImmutableContext physicianOf(Clinic clinic, UUID user) {
    return FlagContexts.user("us", clinic.tenant.id().toString(), "clinic", List.of("physician"), user.toString());
  }

  @Test
  void everyScopeOverridesTheLessSpecificOnesThroughTheOpenFeatureClient() {
    Clinic clinic = Clinic.in("us");
    String key = newFlag("string", new JsonObject().put("base", "base").put("g", "global").put("r", "region")
        .put("k", "kind").put("t", "tenant").put("u", "user"), "base", false, LocalDate.now().plusDays(30));
    UUID user = clinic.doctor.id();
    ImmutableContext ctx = physicianOf(clinic, user);
    assertThat(client.getStringValue(key, "fallback", ctx)).isEqualTo("base");
    String tenant = clinic.tenant.id().toString();
    List<JsonObject> rules = List.of(new JsonObject().put("scope", "global").put("variant", "g"),
        new JsonObject().put("scope", "region").put("value", "us").put("variant", "r"),
        new JsonObject().put("scope", "tenant_kind").put("value", "clinic").put("variant", "k"),
        new JsonObject().put("scope", "tenant").put("tenantId", tenant).put("variant", "t"),
        new JsonObject().put("scope", "user").put("tenantId", tenant).put("value", user.toString())
            .put("variant", "u"));
    List<String> expected = List.of("global", "region", "kind", "tenant", "user");
    for (int i = 0; i < rules.size(); i++) {
      expect(api.post("/v1/platform/flags/" + key + "/rules", owner, rules.get(i)), 200);
      assertThat(client.getStringValue(key, "fallback", ctx)).as("after the %s rule", expected.get(i))
          .isEqualTo(expected.get(i));
    }
    ImmutableContext colleague = physicianOf(clinic, UUID.randomUUID());
    assertThat(client.getStringValue(key, "fallback", colleague)).as("another user of the tenant").isEqualTo("tenant");
    ImmutableContext elsewhere = FlagContexts.user("eu", UUID.randomUUID().toString(), "lab", List.of(), "x");
    assertThat(client.getStringValue(key, "fallback", elsewhere)).isEqualTo("global");
    // The user rule goes: the tenant's decides again.
    JsonObject flag = expect(api.get("/v1/platform/flags/" + key, owner), 200).json();
    String userRule = flag.getJsonArray("rules").getJsonObject(0).getString("id");
    expect(api.delete("/v1/platform/flags/" + key + "/rules/" + userRule, owner), 200);
    assertThat(client.getStringValue(key, "fallback", ctx)).isEqualTo("tenant");
    assertThat(client.getBooleanValue(key, true, ctx)).as("a type mismatch answers the caller's default").isTrue();
    assertThat(client.getStringValue("no.such.flag", "fallback", ctx)).isEqualTo("fallback");
  }

  @Test
  void theKillSwitchWinsOverEveryRuleUntilReleasedAndEveryChangeIsLogged() {
    Clinic clinic = Clinic.in("us");
    String key = booleanFlag(false);
    ImmutableContext ctx = physicianOf(clinic, clinic.doctor.id());
    expect(api.post("/v1/platform/flags/" + key + "/rules", owner, new JsonObject().put("scope", "user")
        .put("tenantId", clinic.tenant.id().toString()).put("value", clinic.doctor.id().toString())
        .put("variant", "on")), 200);
    assertThat(client.getBooleanValue(key, false, ctx)).isTrue();
    JsonObject killed = expect(api.put("/v1/platform/flags/" + key + "/kill-switch", owner,
        new JsonObject().put("variant", "off")), 200).json();
    assertThat(killed.getJsonObject("killSwitch").getString("variant")).isEqualTo("off");
    FlagEvaluationDetails<Boolean> details = client.getBooleanDetails(key, true, ctx);
    assertThat(details.getValue()).isFalse();
    assertThat(details.getReason()).isEqualTo(FlagEvaluator.KILL_SWITCH);
    expect(api.put("/v1/platform/flags/" + key + "/kill-switch", owner, new JsonObject().put("variant", "maybe")),
        400);
    expect(api.delete("/v1/platform/flags/" + key + "/kill-switch", owner), 200);
    assertThat(client.getBooleanValue(key, false, ctx)).isTrue();
    JsonArray changes = expect(api.get("/v1/platform/flags/" + key + "/changes", owner), 200).json()
        .getJsonArray("items");
    assertThat(changes.stream().map(c -> ((JsonObject) c).getString("action")).toList())
        .containsExactly("flag.revive", "flag.kill", "flag.rule.put", "flag.create");
    assertThat(changes.getJsonObject(1).getString("actorUserId")).isEqualTo(platform.platformOwner().id().toString());
    assertThat(changes.getJsonObject(1).getJsonObject("after").getJsonObject("killSwitch")).isNotNull();
  }

  @Test
  void aTenantAdminRollsATenantEditableFlagOutToTenPercentOfItsPhysiciansAndNoFurther() {
    Clinic riverside = Clinic.in("us");
    Clinic other = Clinic.in("us");
    String key = booleanFlag(true);
    String admin = riverside.token(riverside.admin);
    String path = "/v1/tenants/" + riverside.tenant.id() + "/flags/" + key + "/rules";
    JsonObject tenPercent = new JsonObject().put("rules", new JsonArray().add(new JsonObject().put("scope", "tenant")
        .put("role", "physician").put("variant", "on").put("percentage", 10)));
    expect(api.put(path, riverside.token(riverside.doctor), tenPercent), 403);
    JsonObject set = expect(api.put(path, admin, tenPercent), 200).json();
    assertThat(set.getJsonArray("rules")).hasSize(1);
    int on = 0;
    for (int i = 0; i < 10_000; i++) {
      if (client.getBooleanValue(key, false, physicianOf(riverside, UUID.randomUUID()))) {
        on++;
      }
    }
    assertThat(on).isBetween(800, 1_200);
    ImmutableContext nurse = FlagContexts.user("us", riverside.tenant.id().toString(), "clinic", List.of("nurse"),
        UUID.randomUUID().toString());
    assertThat(client.getBooleanValue(key, true, nurse)).as("only physicians").isFalse();
    int elsewhere = 0;
    for (int i = 0; i < 1_000; i++) {
      elsewhere += client.getBooleanValue(key, false, physicianOf(other, UUID.randomUUID())) ? 1 : 0;
    }
    assertThat(elsewhere).as("another tenant's physicians").isZero();
    // Another tenant's admin sees none of Riverside's rules and cannot name Riverside.
    String otherPath = "/v1/tenants/" + other.tenant.id() + "/flags/" + key + "/rules";
    assertThat(expect(api.get(otherPath, other.token(other.admin)), 200).json().getJsonArray("rules")).isEmpty();
    expect(api.put(path, other.token(other.admin), tenPercent), 403);
    // A rule of another scope is the platform's; a flag not editable by tenants is refused.
    expect(api.put(path, admin, new JsonObject().put("rules", new JsonArray().add(new JsonObject()
        .put("scope", "global").put("variant", "on")))), 400);
    String closed = booleanFlag(false);
    expect(api.put("/v1/tenants/" + riverside.tenant.id() + "/flags/" + closed + "/rules", admin, tenPercent), 403);
  }

  @Test
  void expiredAndLongUniformFlagsShowInTheStaleReportAndTheDailyWarningLogsOncePerDay() {
    String expired = newFlag("boolean", new JsonObject().put("on", true).put("off", false), "off", false,
        LocalDate.now(ZoneOffset.UTC).minusDays(1));
    String fresh = booleanFlag(false);
    expect(api.post("/v1/platform/flags/" + fresh + "/rules", owner, new JsonObject().put("scope", "global")
        .put("variant", "on").put("percentage", 100)), 200);
    JsonObject report = expect(api.get("/v1/platform/stale-flags", owner), 200).json();
    List<String> stale = report.getJsonArray("flags").stream().map(f -> ((JsonObject) f).getString("key")).toList();
    assertThat(stale).contains(expired).doesNotContain(fresh);
    // On for everyone: stale 30 days on. The clock is the report's own, moved ahead instead of waited for.
    Instant since = Instant.parse(expect(api.get("/v1/platform/flags/" + fresh, owner), 200).json()
        .getString("uniformSince"));
    FeatureState state = TestPlatform.features(platform.app());
    AtomicReference<Instant> now = new AtomicReference<>(since.plus(Duration.ofDays(29)));
    StaleFlags staleFlags = new StaleFlags(state, new MovableClock(now));
    assertThat(staleFlags.now().stream().map(s -> s.flag().key())).doesNotContain(fresh);
    now.set(since.plus(StaleFlags.UNIFORM_FOR));
    assertThat(staleFlags.now().stream().filter(s -> s.flag().key().equals(fresh)).findFirst().orElseThrow()
        .reasons()).singleElement().asString().contains("to everyone since");
    // One hour into a UTC day well past the 30 days, then ten hours later the same day, then the next day.
    now.set(since.plus(Duration.ofDays(31)).truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(Duration.ofHours(1)));
    assertThat(staleFlags.warnIfDue()).as("the day's first check logs").isTrue();
    now.set(now.get().plus(Duration.ofHours(10)));
    assertThat(staleFlags.warnIfDue()).as("the same day's next check does not").isFalse();
    now.set(now.get().plus(Duration.ofDays(1)));
    assertThat(staleFlags.warnIfDue()).as("the next day's first check logs again").isTrue();
    // Rolled back below 100 %, the flag is no longer uniform.
    expect(api.post("/v1/platform/flags/" + fresh + "/rules", owner, new JsonObject().put("scope", "global")
        .put("variant", "on").put("percentage", 50)), 200);
    assertThat(expect(api.get("/v1/platform/flags/" + fresh, owner), 200).json().containsKey("uniformSince"))
        .isFalse();
  }

  @Test
  void onlyThePlatformOwnerEditsFlagsAndAFlagKeyIsTakenOnce() {
    Clinic clinic = Clinic.in("us");
    String key = booleanFlag(true);
    expect(api.get("/v1/platform/flags", clinic.token(clinic.admin)), 403);
    expect(api.post("/v1/platform/flags/" + key + "/rules", clinic.token(clinic.admin),
        new JsonObject().put("scope", "global").put("variant", "on")), 403);
    expect(api.post("/v1/platform/flags", owner, new JsonObject().put("key", key).put("kind", "boolean")
        .put("variants", new JsonObject().put("on", true)).put("defaultVariant", "on").put("owner", "x")
        .put("description", "x").put("expiresOn", "2030-01-01")), 409);
    expect(api.post("/v1/platform/flags", owner, new JsonObject().put("key", "test.bad-" + UUID.randomUUID()
            .toString().substring(0, 6)).put("kind", "number").put("variants", new JsonObject().put("a", "text"))
        .put("defaultVariant", "a").put("owner", "x").put("description", "x").put("expiresOn", "2030-01-01")), 400);
    List<Map<String, Object>> rows = Sql.query(platform.superuser("global"),
        "SELECT count(*) AS n FROM feature_change WHERE subject = ?", "flag:" + key);
    assertThat(((Number) rows.get(0).get("n")).intValue()).isEqualTo(1);
    expect(api.delete("/v1/platform/flags/" + key, owner), 204);
    expect(api.get("/v1/platform/flags/" + key, owner), 404);
    assertThat(TestPlatform.features(platform.app()).snapshot().flags()).doesNotContainKey(key);
  }

  /** A clock a test moves. */
  private static final class MovableClock extends Clock {
    private final AtomicReference<Instant> now;

    MovableClock(AtomicReference<Instant> now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
