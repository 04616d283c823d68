package io.caduceus.api.config;

import io.caduceus.api.boot.NodeParts;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.telehealth.VirtualVisits;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings that moved under the configuration store with their endpoints kept: the request quotas, the
 * telehealth settings and the patient portal's. Each namespace's schema refuses a bad write by field and rule, its
 * effective view says where each value comes from, its old endpoint reads and writes the same truth, and the code
 * that honours it follows a change.
 */
class MovedSettingsTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();
  private final String owner = platform.token(platform.platformOwner());

  @Test
  void quotasAreThePlatformOwnersToSetTheTenantAdminsToReadAndTheLimiterAppliesTheEffectiveOnes() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    String tenantScope = "/v1/platform/config/quotas/scopes/tenant:" + clinic.tenant.id();
    String patient = clinic.patient("Quota", "Quinn").getString("id");

    JsonObject before = effective("/v1/tenants/" + clinic.tenant.id() + "/config/quotas/effective", admin);
    assertThat(before.getJsonObject("tenant").getString("level")).isEqualTo("default");
    // The defaults shown are the node's configured quotas, which it applies.
    assertThat(before.getJsonObject("tenant").getJsonObject("value").getInteger("burst")).isEqualTo(20_000);
    expect(send("PUT", "/v1/tenants/" + clinic.tenant.id() + "/config/quotas/scopes/tenant", admin,
        new JsonObject().put("tenant", quota(1, 10)), "\"0\""), 403);

    put(tenantScope, owner, 0, new JsonObject().put("tenant", quota(0.2, 4)));
    // The old endpoint shows the same truth (the platform's own requests are not the clinic's to pay).
    JsonObject shown = expect(api.get("/v1/platform/tenants/" + clinic.tenant.id() + "/quotas", owner), 200).json();
    assertThat(shown.getJsonObject("tenant").getInteger("burst")).isEqualTo(4);
    // This read is the first of the four requests the clinic may now make at once.
    JsonObject after = effective("/v1/tenants/" + clinic.tenant.id() + "/config/quotas/effective", admin);
    assertThat(after.getJsonObject("tenant")).isEqualTo(new JsonObject().put("value", quota(0.2, 4))
        .put("level", "tenant").put("scopeId", clinic.tenant.id().toString()));
    assertThat(after.getJsonObject("user").getString("level")).isEqualTo("default");

    String desk = clinic.token(clinic.desk);
    Api.Response second = expect(api.get("/v1/patients/" + patient, desk), 200);
    assertThat(second.header("RateLimit-Policy")).isEqualTo("\"tenant\";q=4;w=20");
    assertThat(second.header("RateLimit")).isEqualTo("\"tenant\";r=2;t=0");
    expect(api.get("/v1/patients/" + patient, desk), 200);
    expect(api.get("/v1/patients/" + patient, desk), 200);
    expect(api.get("/v1/patients/" + patient, desk), 429);
  }

  @Test
  void theQuotasEndpointWritesANewVersionOfTheTenantLevelWhichTheRegionLevelSitsUnder() {
    Clinic clinic = Clinic.in("us");
    String user = clinic.doctor.id().toString();
    expect(api.put("/v1/platform/tenants/" + clinic.tenant.id() + "/quotas", owner, new JsonObject()
        .put("tenant", quota(500, 1000)).put("users", new JsonArray().add(quota(40, 80).put("userId", user)))), 200);
    String scope = "/v1/platform/config/quotas/scopes/tenant:" + clinic.tenant.id();
    JsonObject level = expect(api.get(scope, owner), 200).json();
    assertThat(level.getInteger("version")).isEqualTo(1);
    assertThat(level.getJsonObject("values")).isEqualTo(new JsonObject().put("tenant", quota(500, 1000))
        .put("users", new JsonObject().put(user, quota(40, 80))));
    assertThat(expect(api.get(scope + "/versions", owner), 200).json().getJsonArray("items").getJsonObject(0)
        .getString("changedBy")).isEqualTo(platform.platformOwner().id().toString());

    String region = "/v1/platform/config/quotas/scopes/region:us";
    JsonObject regionBefore = expect(api.get(region, owner), 200).json();
    try {
      put(region, owner, regionBefore.getInteger("version"), new JsonObject().put("user", quota(9_000, 18_000)));
      JsonObject effective = effective("/v1/tenants/" + clinic.tenant.id() + "/config/quotas/effective",
          clinic.token(clinic.admin));
      assertThat(effective.getJsonObject("user").getString("level")).isEqualTo("region");
      assertThat(effective.getJsonObject("tenant").getString("level")).isEqualTo("tenant");
      JsonObject shown = expect(api.get("/v1/platform/tenants/" + clinic.tenant.id() + "/quotas", owner), 200)
          .json();
      assertThat(shown.getJsonObject("defaults").getJsonObject("user").getInteger("burst")).isEqualTo(18_000);
      assertThat(shown.getJsonArray("users").getJsonObject(0).getString("userId")).isEqualTo(user);
    } finally {
      put(region, owner, expect(api.get(region, owner), 200).json().getInteger("version"),
          regionBefore.getJsonObject("values"));
    }
  }

  @Test
  void eachMovedNamespaceRefusesABadWriteWith422NamingTheFieldAndTheRule() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    String tenant = "/v1/tenants/" + clinic.tenant.id() + "/config";
    assertThat(error(send("PUT", "/v1/platform/config/quotas/scopes/tenant:" + clinic.tenant.id(), owner,
        new JsonObject().put("tenant", quota(1, 0)), "\"0\""))).isEqualTo(new JsonObject()
        .put("pointer", "/tenant/burst").put("detail", "is below the minimum (minimum: 1)"));
    assertThat(error(send("PUT", tenant + "/telehealth/scopes/tenant", admin,
        new JsonObject().put("checkInLeadMinutes", 300), "\"0\""))).isEqualTo(new JsonObject()
        .put("pointer", "/checkInLeadMinutes").put("detail", "is above the maximum (maximum: 240)"));
    assertThat(error(send("PUT", tenant + "/portal/scopes/tenant", admin,
        new JsonObject().put("resultsDelayHours", 200), "\"0\""))).isEqualTo(new JsonObject()
        .put("pointer", "/resultsDelayHours").put("detail", "is above the maximum (maximum: 168)"));
    // Telehealth is kept at the tenant level only (its visits read it in the region).
    expect(send("PUT", "/v1/platform/config/telehealth/scopes/region:us", owner, new JsonObject(), "\"0\""), 422);
  }

  @Test
  void theTelehealthSettingsEndpointAndTheTelehealthNamespaceAreOneTruthThatTheVisitsFollow() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    String namespace = "/v1/tenants/" + clinic.tenant.id() + "/config/telehealth";
    VirtualVisits visits = new VirtualVisits(clinic);
    visits.settings(new JsonObject().put("virtualVisits", true).put("maxParticipants", 4));
    JsonObject effective = effective(namespace + "/effective", admin);
    assertThat(effective.getJsonObject("maxParticipants")).isEqualTo(new JsonObject().put("value", 4)
        .put("level", "tenant").put("scopeId", clinic.tenant.id().toString()));
    assertThat(effective.getJsonObject("checkInLeadMinutes").getValue("value")).isEqualTo(15);

    // Written through the namespace, the endpoint and the visits follow.
    int version = expect(api.get(namespace + "/scopes/tenant", admin), 200).json().getInteger("version");
    put(namespace + "/scopes/tenant", admin, version, new JsonObject().put("virtualVisits", false));
    JsonObject settings = expect(api.get("/v1/telehealth/settings", admin), 200).json();
    assertThat(settings.getBoolean("virtualVisits")).isFalse();
    assertThat(settings.getInteger("maxParticipants")).isEqualTo(2);
    assertThat(settings.getInteger("version")).isEqualTo(2);
    String patient = clinic.patient("Tele", "Tia").getString("id");
    Instant soon = Instant.now().plus(1, ChronoUnit.HOURS);
    assertThat(expect(visits.book(patient, soon, 30), 422).json().getString("detail")).contains("virtual visits");
    put(namespace + "/scopes/tenant", admin, version + 1, new JsonObject().put("virtualVisits", true)
        .put("maxParticipants", 5));
    JsonObject booked = expect(visits.book(patient, soon, 30), 201).json();
    assertThat(expect(api.get(VirtualVisits.session(booked), clinic.token(clinic.doctor)), 200).json()
        .getInteger("maxParticipants")).isEqualTo(5);
    expect(api.send("PUT", "/v1/telehealth/settings", admin, new JsonObject().put("maxParticipants", 3).encode(),
        Map.of("If-Match", "\"2\"")), 412);
  }

  @Test
  void telehealthSettingsKeptInTheRegionBeforeTheStoreAreBroughtIntoItOnce() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    Sql.update(platform.superuser(clinic.tenant), "INSERT INTO telehealth_settings (tenant_id, virtual_visits,"
        + " check_in_lead_minutes, max_participants) VALUES (?::uuid, true, 45, 6)", clinic.tenant.id().toString());
    assertThat(await(NodeParts.telehealthBackfill().run())).isGreaterThanOrEqualTo(1);
    String namespace = "/v1/tenants/" + clinic.tenant.id() + "/config/telehealth";
    JsonObject effective = effective(namespace + "/effective", admin);
    assertThat(effective.getJsonObject("checkInLeadMinutes").getValue("value")).isEqualTo(45);
    assertThat(effective.getJsonObject("maxParticipants").getString("level")).isEqualTo("tenant");
    await(NodeParts.telehealthBackfill().run());
    assertThat(expect(api.get(namespace + "/scopes/tenant/versions", admin), 200).json().getJsonArray("items"))
        .hasSize(1);
  }

  @Test
  void aClinicThatTurnsPatientMessagesOffKeepsItsPatientsToReading() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    String patientId = clinic.patient("Message", "Mia").getString("id");
    String me = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(patientId)));
    JsonObject message = new JsonObject().put("subject", "A question").put("body", "Can I take it with food?");
    expect(api.post("/v1/portal/secure-messages", me, message), 201);
    // Another clinic's setting reaches its own patients only, and it cannot read or write this clinic's.
    Clinic other = Clinic.in("us");
    String otherAdmin = other.token(other.admin);
    put("/v1/tenants/" + other.tenant.id() + "/config/portal/scopes/tenant", otherAdmin, 0,
        new JsonObject().put("patientMessages", false));
    expect(api.post("/v1/portal/secure-messages", me, message), 201);
    expect(api.get("/v1/tenants/" + clinic.tenant.id() + "/config/portal/effective", otherAdmin), 403);
    expect(send("PUT", "/v1/tenants/" + clinic.tenant.id() + "/config/portal/scopes/tenant", otherAdmin,
        new JsonObject().put("patientMessages", false), "\"0\""), 403);

    String scope = "/v1/tenants/" + clinic.tenant.id() + "/config/portal/scopes/tenant";
    put(scope, admin, 0, new JsonObject().put("patientMessages", false));
    Api.Response refused = expect(api.post("/v1/portal/secure-messages", me, message), 403);
    assertThat(refused.json().getString("detail")).contains("secure messages");
    assertThat(expect(api.get("/v1/portal/secure-messages", me), 200).json().getJsonArray("items")).hasSize(2);
    JsonObject effective = effective("/v1/tenants/" + clinic.tenant.id() + "/config/portal/effective", admin);
    assertThat(effective.getJsonObject("patientMessages").getString("level")).isEqualTo("tenant");
    assertThat(effective.getJsonObject("resultsDelayHours").getString("level")).isEqualTo("default");

    put(scope, admin, 1, new JsonObject().put("patientMessages", true));
    expect(api.post("/v1/portal/secure-messages", me, message), 201);
  }

  @Test
  void theAppShowsALabResultOnlyOnceTheClinicsDelayHasPassed() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    String patientId = clinic.patient("Result", "Rae").getString("id");
    String me = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(patientId)));
    String order = UUID.randomUUID().toString();
    Sql.update(platform.superuser(clinic.tenant), "INSERT INTO lab_order (tenant_id, id, direction,"
        + " counterpart_tenant_id, link_id, patient_id, orderer_name, tests, status, report)"
        + " VALUES (?::uuid, ?::uuid, 'outgoing', ?::uuid, ?::uuid, ?::uuid, 'Dr. Rivera',"
        + " '[{\"code\": \"4548-4\", \"display\": \"HbA1c\"}]', 'resulted', 'Above target')",
        clinic.tenant.id().toString(), order, UUID.randomUUID().toString(), UUID.randomUUID().toString(), patientId);
    Sql.update(platform.superuser(clinic.tenant), "INSERT INTO lab_result (tenant_id, id, order_id, patient_id, code,"
        + " display, value_numeric, unit, abnormal_flag, resulted_at) VALUES (?::uuid, ?::uuid, ?::uuid, ?::uuid,"
        + " '4548-4', 'HbA1c', 8.1, '%', 'H', now() - interval '2 hours')", clinic.tenant.id().toString(),
        UUID.randomUUID().toString(), order, patientId);
    JsonObject shown = result(me);
    assertThat(shown.getJsonArray("results")).hasSize(1);
    assertThat(shown.getString("report")).isEqualTo("Above target");

    put("/v1/tenants/" + clinic.tenant.id() + "/config/portal/scopes/tenant", admin, 0,
        new JsonObject().put("resultsDelayHours", 3));
    JsonObject held = result(me);
    assertThat(held.getJsonArray("results")).isEmpty();
    assertThat(held.getValue("report")).isNull();
    assertThat(held.getString("status")).isEqualTo("resulted");

    put("/v1/tenants/" + clinic.tenant.id() + "/config/portal/scopes/tenant", admin, 1,
        new JsonObject().put("resultsDelayHours", 1));
    assertThat(result(me).getJsonArray("results")).hasSize(1);
  }

  private JsonObject result(String token) {
    JsonArray results = expect(api.get("/v1/portal/records", token), 200).json().getJsonArray("results");
    assertThat(results).hasSize(1);
    return results.getJsonObject(0);
  }

  private static JsonObject quota(double perSecond, int burst) {
    return new JsonObject().put("perSecond", perSecond).put("burst", burst);
  }

  private static JsonObject error(Api.Response response) {
    return expect(response, 422).json().getJsonArray("errors").getJsonObject(0);
  }

  private JsonObject effective(String path, String token) {
    return expect(api.get(path, token), 200).json().getJsonObject("values");
  }

  private void put(String path, String token, int version, JsonObject values) {
    expect(send("PUT", path, token, values, "\"" + version + "\""), 200);
  }

  private Api.Response send(String method, String path, String token, JsonObject body, String ifMatch) {
    return api.send(method, path, token, body.encode(), Map.of("If-Match", ifMatch));
  }
}
