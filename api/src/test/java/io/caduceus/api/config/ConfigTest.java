package io.caduceus.api.config;

import io.caduceus.api.boot.Application;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static io.caduceus.routing.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

/** Hierarchical configuration over real PostgreSQL: levels, provenance, schemas, versions, isolation, propagation. */
class ConfigTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();
  private final String owner = platform.token(platform.platformOwner());

  @Test
  void theMostSpecificLevelWinsKeyByKeyAndTheEffectiveViewSaysWhereEachValueComesFrom() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    UUID east = facility(clinic, "East");
    String doctor = clinic.doctor.id().toString();
    String base = "/v1/tenants/" + clinic.tenant.id() + "/config/scheduling";
    JsonObject globalBefore = scope("/v1/platform/config/scheduling/scopes/global", owner);
    JsonObject regionBefore = scope("/v1/platform/config/scheduling/scopes/region:us", owner);
    try {
      put("/v1/platform/config/scheduling/scopes/global", owner, globalBefore,
          new JsonObject().put("bufferMinutes", 5).put("slotIncrementMinutes", 10).put("defaultDurationMinutes", 25));
      put("/v1/platform/config/scheduling/scopes/region:us", owner, regionBefore,
          new JsonObject().put("slotIncrementMinutes", 20).put("defaultDurationMinutes", 40));
      put(base + "/scopes/tenant", admin, 0, new JsonObject().put("defaultDurationMinutes", 45));
      put(base + "/scopes/facility:" + east, admin, 0, new JsonObject().put("defaultDurationMinutes", 20)
          .put("overbooking", new JsonObject().put("enabled", true).put("maxPerSlot", 2)));
      put(base + "/scopes/user:" + doctor, admin, 0, new JsonObject().put("defaultDurationMinutes", 60));

      JsonObject tenant = effective(base + "/effective", admin);
      assertProvenance(tenant, "bufferMinutes", 5, "global", null);
      assertProvenance(tenant, "slotIncrementMinutes", 20, "region", "us");
      assertProvenance(tenant, "defaultDurationMinutes", 45, "tenant", clinic.tenant.id().toString());
      assertThat(tenant.getJsonObject("overbooking").getString("level")).isEqualTo("default");

      JsonObject atEast = effective(base + "/effective?facility=" + east, admin);
      assertProvenance(atEast, "defaultDurationMinutes", 20, "facility", east.toString());
      assertThat(atEast.getJsonObject("overbooking").getJsonObject("value").getInteger("maxPerSlot")).isEqualTo(2);
      assertProvenance(atEast, "bufferMinutes", 5, "global", null);

      JsonObject doctorAtEast = effective(base + "/effective?facility=" + east + "&user=" + doctor, admin);
      assertProvenance(doctorAtEast, "defaultDurationMinutes", 60, "user", doctor);
      assertThat(doctorAtEast.getJsonObject("overbooking").getString("level")).isEqualTo("facility");
      // The doctor reads their own the same way.
      assertProvenance(effective("/v1/auth/me/config/scheduling/effective?facility=" + east,
          clinic.token(clinic.doctor)), "defaultDurationMinutes", 60, "user", doctor);
    } finally {
      put("/v1/platform/config/scheduling/scopes/global", owner,
          scope("/v1/platform/config/scheduling/scopes/global", owner), globalBefore.getJsonObject("values"));
      put("/v1/platform/config/scheduling/scopes/region:us", owner,
          scope("/v1/platform/config/scheduling/scopes/region:us", owner), regionBefore.getJsonObject("values"));
    }
  }

  @Test
  void aWriteThatBreaksTheSchemaIs422NamingTheFieldAndTheRule() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    String base = "/v1/tenants/" + clinic.tenant.id() + "/config";
    JsonObject tooShort = expect(send("PUT", base + "/scheduling/scopes/tenant", admin,
        new JsonObject().put("defaultDurationMinutes", 10), "\"0\""), 422).json();
    assertThat(tooShort.getJsonArray("errors")).containsExactly(new JsonObject()
        .put("pointer", "/defaultDurationMinutes").put("detail", "is below the minimum (minimum: 15)"));
    JsonObject unknown = expect(send("PUT", base + "/scheduling/scopes/tenant", admin,
        new JsonObject().put("fax", true), "\"0\""), 422).json();
    assertThat(unknown.getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/fax");
    JsonObject zone = expect(send("PUT", base + "/general/scopes/tenant", admin,
        new JsonObject().put("timeZone", "Nowhere/Land"), etag(base + "/general/scopes/tenant", admin)), 422).json();
    assertThat(zone.getJsonArray("errors").getJsonObject(0).getString("detail")).isEqualTo("is not an IANA time zone");
    JsonObject noRoles = expect(send("PUT", base + "/security/scopes/tenant", admin,
        new JsonObject().put("mfaRequiredFor", "roles"), "\"0\""), 422).json();
    assertThat(noRoles.getJsonArray("errors").getJsonObject(0)).isEqualTo(new JsonObject()
        .put("pointer", "/mfaRoles").put("detail", "is required"));
    expect(api.get(base + "/telepathy/effective", admin), 404);
    expect(send("PUT", base + "/telepathy/scopes/tenant", admin, new JsonObject(), "\"0\""), 404);
    // general is not set per facility; security is the platform's below the tenant and the tenant admin's at it.
    expect(send("PUT", base + "/general/scopes/facility:" + facility(clinic, "North"), admin, new JsonObject(),
        "\"0\""), 422);
    expect(send("PUT", "/v1/platform/config/scheduling/scopes/global", admin, new JsonObject(), "\"0\""), 403);
    expect(send("PUT", base + "/scheduling/scopes/tenant", clinic.token(clinic.desk), new JsonObject(), "\"0\""), 403);
    assertThat(scope(base + "/scheduling/scopes/tenant", admin).getInteger("version")).isZero();
  }

  @Test
  void everyChangeIsAVersionThatCanBeReadAndRestoredUnderIfMatch() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    String path = "/v1/tenants/" + clinic.tenant.id() + "/config/scheduling/scopes/tenant";
    expect(send("PUT", path, admin, new JsonObject().put("bufferMinutes", 10), null), 428);
    Api.Response first = expect(send("PUT", path, admin, new JsonObject().put("bufferMinutes", 10), "\"0\""), 200);
    assertThat(first.header("ETag")).isEqualTo("\"1\"");
    expect(send("PUT", path, admin, new JsonObject().put("bufferMinutes", 15).put("defaultDurationMinutes", 20),
        "\"1\""), 200);
    expect(send("PUT", path, admin, new JsonObject().put("bufferMinutes", 99), "\"1\""), 412);

    JsonArray versions = expect(api.get(path + "/versions", admin), 200).json().getJsonArray("items");
    assertThat(versions).hasSize(2);
    JsonObject second = versions.getJsonObject(0);
    assertThat(second.getInteger("version")).isEqualTo(2);
    assertThat(second.getString("changedBy")).isEqualTo(clinic.admin.id().toString());
    assertThat(second.getJsonArray("diff")).containsExactly(
        new JsonObject().put("key", "bufferMinutes").put("before", 10).put("after", 15),
        new JsonObject().put("key", "defaultDurationMinutes").put("after", 20));
    JsonObject one = expect(api.get(path + "/versions/1", admin), 200).json();
    assertThat(one.getJsonObject("values")).isEqualTo(new JsonObject().put("bufferMinutes", 10));
    expect(api.get(path + "/versions/9", admin), 404);

    expect(send("POST", path + "/versions/1/restore", admin, null, "\"1\""), 412);
    Api.Response restored = expect(send("POST", path + "/versions/1/restore", admin, null, "\"2\""), 200);
    assertThat(restored.header("ETag")).isEqualTo("\"3\"");
    JsonObject effective = effective("/v1/tenants/" + clinic.tenant.id() + "/config/scheduling/effective", admin);
    assertProvenance(effective, "bufferMinutes", 10, "tenant", clinic.tenant.id().toString());
    assertThat(effective.getJsonObject("defaultDurationMinutes").getString("level")).isNotEqualTo("tenant");

    // The record of every change: who, when, what it changed, what it restored; kept in the control plane.
    List<Map<String, Object>> rows = Sql.query(platform.owner("global"), "SELECT version, changed_by::text AS by,"
        + " changed_at, diff::text AS diff, restored_from FROM config_version WHERE namespace = 'scheduling'"
        + " AND level = 'tenant' AND scope_id = ? ORDER BY version", clinic.tenant.id().toString());
    assertThat(rows).extracting(r -> r.get("version")).containsExactly(1, 2, 3);
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.get("by")).isEqualTo(clinic.admin.id().toString());
      assertThat(r.get("changed_at")).isNotNull();
    });
    assertThat(rows.get(2).get("restored_from")).isEqualTo(1);
    assertThat(new JsonArray((String) rows.get(2).get("diff"))).containsExactly(
        new JsonObject().put("key", "bufferMinutes").put("before", 15).put("after", 10),
        new JsonObject().put("key", "defaultDurationMinutes").put("before", 20));
    // And the request's own audit record, in the tenant's trail.
    assertThat(Sql.query(platform.superuser("us"), "SELECT count(*) AS n FROM audit_event WHERE tenant_id = ?::uuid"
        + " AND action IN ('config.change', 'config.restore') AND outcome = 'success'",
        clinic.tenant.id().toString()).get(0).get("n")).isEqualTo(3L);
  }

  @Test
  void theTenantSettingsEndpointAndTheGeneralNamespaceAreOneTruth() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    String tenantPath = "/v1/tenants/" + clinic.tenant.id();
    String general = tenantPath + "/config/general";
    Api.Response read = expect(api.get(tenantPath, admin), 200);
    expect(api.patch(tenantPath, admin, new JsonObject().put("timeZone", "America/Chicago").put("locale", "es-US"),
        read.header("ETag")), 200);
    JsonObject effective = effective(general + "/effective", admin);
    assertProvenance(effective, "timeZone", "America/Chicago", "tenant", clinic.tenant.id().toString());
    assertProvenance(effective, "locale", "es-US", "tenant", clinic.tenant.id().toString());
    assertThat(expect(api.get(general + "/scopes/tenant/versions", admin), 200).json().getJsonArray("items")
        .getJsonObject(0).getJsonArray("diff")).contains(new JsonObject().put("key", "timeZone")
        .put("before", "America/New_York").put("after", "America/Chicago"));

    JsonObject level = scope(general + "/scopes/tenant", admin);
    put(general + "/scopes/tenant", admin, level, level.getJsonObject("values").copy()
        .put("timeZone", "Europe/Lisbon").put("branding", new JsonObject().put("primaryColor", "#336699")));
    JsonObject tenant = expect(api.get(tenantPath, admin), 200).json();
    assertThat(tenant.getString("timeZone")).isEqualTo("Europe/Lisbon");
    assertThat(tenant.getJsonObject("branding").getString("primaryColor")).isEqualTo("#336699");
    // A write through the namespace moved the tenant's version: a PATCH with the old ETag is stale.
    expect(api.patch(tenantPath, admin, new JsonObject().put("name", "Stale"), read.header("ETag")), 412);
  }

  @Test
  void theMfaPolicyEndpointAndTheSecurityNamespaceAreOneTruth() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    String policy = "/v1/tenants/" + clinic.tenant.id() + "/mfa-policy";
    String security = "/v1/tenants/" + clinic.tenant.id() + "/config/security";
    expect(api.put(policy, admin, new JsonObject().put("requiredFor", "roles")
        .put("roles", new JsonArray().add("physician"))), 200);
    JsonObject effective = until(() -> effective(security + "/effective", admin),
        e -> "roles".equals(e.getJsonObject("mfaRequiredFor").getValue("value")), Duration.ofSeconds(10));
    assertThat(effective.getJsonObject("mfaRoles").getJsonArray("value")).containsExactly("physician");
    assertThat(effective.getJsonObject("mfaRoles").getString("level")).isEqualTo("tenant");

    JsonObject level = scope(security + "/scopes/tenant", admin);
    put(security + "/scopes/tenant", admin, level, new JsonObject().put("mfaRequiredFor", "all_staff"));
    JsonObject now = expect(api.get(policy, admin), 200).json();
    assertThat(now.getString("requiredFor")).isEqualTo("all_staff");
    assertThat(now.getJsonArray("roles")).isEmpty();
  }

  @Test
  void anotherTenantCannotReadOrWriteATenantsConfigurationNorNameItsFacility() {
    Clinic a = Clinic.in("us");
    Clinic b = Clinic.in("us");
    UUID aFacility = facility(a, "A's site");
    String bAdmin = b.token(b.admin);
    String aBase = "/v1/tenants/" + a.tenant.id() + "/config/scheduling";
    // A path naming a tenant other than the caller's active one is refused by the resolver (403) for every
    // x-tenant-scope: path operation, before anything of that tenant is read.
    expect(api.get(aBase + "/effective", bAdmin), 403);
    expect(send("PUT", aBase + "/scopes/tenant", bAdmin, new JsonObject().put("bufferMinutes", 1), "\"0\""), 403);
    expect(api.get(aBase + "/scopes/tenant/versions", bAdmin), 403);
    String bBase = "/v1/tenants/" + b.tenant.id() + "/config/scheduling";
    expect(send("PUT", bBase + "/scopes/facility:" + aFacility, bAdmin, new JsonObject(), "\"0\""), 404);
    expect(api.get(bBase + "/effective?facility=" + aFacility, bAdmin), 404);
    expect(api.get(bBase + "/effective?user=" + a.doctor.id(), bAdmin), 404);
    expect(send("PUT", bBase + "/scopes/user:" + a.doctor.id(), bAdmin, new JsonObject(), "\"0\""), 404);
    assertThat(scope(aBase + "/scopes/tenant", a.token(a.admin)).getInteger("version")).isZero();
  }

  @Test
  void aChangeOnOneNodeShowsInAnotherNodesEffectiveViewWithinASecond() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    String base = "/v1/tenants/" + clinic.tenant.id() + "/config/scheduling";
    Application sibling = platform.sibling(Map.of());
    try {
      Api other = new Api(sibling.port());
      assertThat(expect(other.get(base + "/effective", admin), 200).json().getJsonObject("values")
          .getJsonObject("bufferMinutes").getString("level")).isNotEqualTo("tenant");
      put(base + "/scopes/tenant", admin, 0, new JsonObject().put("bufferMinutes", 35));
      // From the moment the writer is told the change committed to the moment the other node shows it.
      long start = System.nanoTime();
      until(() -> expect(other.get(base + "/effective", admin), 200).json().getJsonObject("values")
          .getJsonObject("bufferMinutes"), b -> Integer.valueOf(35).equals(b.getValue("value")), Duration.ofSeconds(5));
      long millis = (System.nanoTime() - start) / 1_000_000;
      System.out.println("config propagation to a second node: " + millis + " ms");
      assertThat(millis).isLessThan(1_000);
    } finally {
      await(sibling.stop());
    }
  }

  @Test
  void theEngagementSettingsEndpointAndTheEngagementNamespaceAreOneTruth() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    String engagement = "/v1/tenants/" + clinic.tenant.id() + "/config/engagement";
    JsonObject rules = expect(api.get("/v1/engagement/settings", admin), 200).json();
    rules.remove("version");
    expect(api.put("/v1/engagement/settings", admin, rules.copy().put("dailyCap", 5)), 200);
    JsonObject effective = until(() -> effective(engagement + "/effective", admin),
        e -> Integer.valueOf(5).equals(e.getJsonObject("dailyCap").getValue("value")), Duration.ofSeconds(10));
    assertThat(effective.getJsonObject("dailyCap").getString("level")).isEqualTo("tenant");

    JsonObject level = scope(engagement + "/scopes/tenant", admin);
    expect(send("PUT", engagement + "/scopes/tenant", admin, new JsonObject().put("dailyCap", 101),
        "\"" + level.getInteger("version") + "\""), 422);
    put(engagement + "/scopes/tenant", admin, level, new JsonObject().put("dailyCap", 7)
        .put("quietHours", new JsonObject().put("start", "22:00").put("end", "07:00")));
    JsonObject now = expect(api.get("/v1/engagement/settings", admin), 200).json();
    assertThat(now.getInteger("dailyCap")).isEqualTo(7);
    assertThat(now.getJsonObject("quietHours")).isEqualTo(new JsonObject().put("start", "22:00").put("end", "07:00"));
    assertThat(now.getJsonArray("reminderOffsetsMinutes")).containsExactly(1440, 120);
  }

  @Test
  void rulesKeptInTheRegionBeforeTheStoreAreBroughtIntoItOnce() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    Sql.update(platform.superuser(clinic.tenant), "INSERT INTO engagement_settings (tenant_id, time_zone, quiet_start,"
        + " quiet_end, daily_cap, critical_categories, reminder_offsets, default_locale, channel_variables)"
        + " VALUES (?::uuid, 'America/Denver', '20:00', '09:00', 9, '{clinical_alerts}', '{60}', 'es',"
        + " '{\"push\": [\"none\"], \"sms\": [\"none\"], \"email\": [\"none\"]}')", clinic.tenant.id().toString());
    await(io.caduceus.api.boot.NodeParts.engagementBackfill().run());
    String engagement = "/v1/tenants/" + clinic.tenant.id() + "/config/engagement";
    JsonObject effective = until(() -> effective(engagement + "/effective", admin),
        e -> "tenant".equals(e.getJsonObject("dailyCap").getString("level")), Duration.ofSeconds(10));
    assertProvenance(effective, "dailyCap", 9, "tenant", clinic.tenant.id().toString());
    assertProvenance(effective, "timeZone", "America/Denver", "tenant", clinic.tenant.id().toString());
    assertThat(effective.getJsonObject("quietHours").getJsonObject("value").getString("start")).isEqualTo("20:00");
    await(io.caduceus.api.boot.NodeParts.engagementBackfill().run());
    assertThat(expect(api.get(engagement + "/scopes/tenant/versions", admin), 200).json().getJsonArray("items"))
        .hasSize(1);
  }

  private UUID facility(Clinic clinic, String name) {
    UUID id = UUID.randomUUID();
    Sql.update(platform.superuser(clinic.tenant), "INSERT INTO facility (tenant_id, id, name, created_by)"
        + " VALUES (?::uuid, ?::uuid, ?, ?::uuid)", clinic.tenant.id().toString(), id.toString(), name,
        clinic.admin.id().toString());
    return id;
  }

  private JsonObject scope(String path, String token) {
    return expect(api.get(path, token), 200).json();
  }

  private String etag(String path, String token) {
    return expect(api.get(path, token), 200).header("ETag");
  }

  private JsonObject effective(String path, String token) {
    return expect(api.get(path, token), 200).json().getJsonObject("values");
  }

  private void put(String path, String token, JsonObject current, JsonObject values) {
    put(path, token, current.getInteger("version"), values);
  }

  private void put(String path, String token, int version, JsonObject values) {
    expect(send("PUT", path, token, values, "\"" + version + "\""), 200);
  }

  private Api.Response send(String method, String path, String token, JsonObject body, String ifMatch) {
    return api.send(method, path, token, body == null ? null : body.encode(),
        ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
  }

  private static void assertProvenance(JsonObject values, String key, Object value, String level, String scopeId) {
    JsonObject entry = values.getJsonObject(key);
    assertThat(entry.getValue("value")).as(key).isEqualTo(value);
    assertThat(entry.getString("level")).as(key + " level").isEqualTo(level);
    assertThat(entry.getString("scopeId")).as(key + " scope").isEqualTo(scopeId);
  }
}
