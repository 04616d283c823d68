package io.caduceus.api.http;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class of "a platform operation answers a tenant admin for their own tenant": every operation under
 * {@code /v1/platform/} is declared the platform's in the contract, and a tenant admin is refused each of them.
 */
class PlatformScopeTest {

  /** A valid body for each platform operation that takes one: validation runs before the tenant is resolved. */
  private static final JsonObject FLAG_VARIANTS = new JsonObject().put("on", true).put("off", false);
  private static final Map<String, JsonObject> BODIES = Map.ofEntries(
      Map.entry("createTenant", new JsonObject().put("kind", "clinic").put("slug", "scope-probe-" + UUID.randomUUID()
          .toString().substring(0, 8)).put("name", "Scope probe").put("dataRegion", "us").put("locale", "en-US")
          .put("timeZone", "UTC")),
      Map.entry("putTenantQuotas", new JsonObject().putNull("tenant")),
      Map.entry("moveTenant", new JsonObject().put("isolationTier", "schema")),
      Map.entry("importTenant", new JsonObject().put("archiveJobId", UUID.randomUUID().toString())
          .put("dataRegion", "us")),
      Map.entry("repairTenantAuditChain", new JsonObject().put("firstBrokenSeal", 1)
          .put("reason", "probing the platform scope of the repair")),
      Map.entry("putPlatformConfigScope", new JsonObject().put("defaultDurationMinutes", 30)),
      Map.entry("createFlag", new JsonObject().put("key", "scope.probe").put("kind", "boolean")
          .put("variants", FLAG_VARIANTS).put("defaultVariant", "off").put("owner", "platform")
          .put("description", "probing the platform scope").put("expiresOn", "2099-01-01")),
      Map.entry("updateFlag", new JsonObject().put("variants", FLAG_VARIANTS).put("defaultVariant", "off")
          .put("owner", "platform").put("description", "probing the platform scope").put("expiresOn", "2099-01-01")
          .put("tenantEditable", false)),
      Map.entry("setFlagRule", new JsonObject().put("scope", "global").put("variant", "on")),
      Map.entry("putFlagKillSwitch", new JsonObject().put("variant", "off")),
      Map.entry("putTenantModulePlan", new JsonObject().put("allowed", new JsonArray().add("billing"))));

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  /** One operation of the contract. */
  private record Operation(String id, String method, String template, JsonObject model) {
  }

  @Test
  void everyPlatformOperationIsDeclaredThePlatformsAndNoOtherIs() {
    for (Operation op : operations()) {
      boolean platformPath = op.template().startsWith("/v1/platform/");
      assertThat("platform".equals(op.model().getString("x-tenant-scope")))
          .as(op.method() + " " + op.template()).isEqualTo(platformPath);
    }
  }

  @Test
  void aTenantAdminIsRefusedEveryPlatformOperationEvenForTheirOwnTenant() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    List<String> answered = new ArrayList<>();
    for (Operation op : operations()) {
      if (!op.template().startsWith("/v1/platform/")) {
        continue;
      }
      String path = op.template().replace("{tenantId}", clinic.tenant.id().toString())
          .replace("{flagKey}", "scope.probe").replace("{namespace}", "scheduling").replace("{scope}", "global")
          .replace("{version}", "1").replaceAll("\\{[a-zA-Z]+}", UUID.randomUUID().toString());
      JsonObject body = BODIES.get(op.id());
      assertThat(body != null || !op.model().containsKey("requestBody"))
          .as("a valid body for " + op.id() + " in BODIES").isTrue();
      // A write that requires If-Match would answer 428 before anyone is asked who they are.
      Api.Response r = api.send(op.method(), path, admin, body == null ? null : body.encode(),
          Map.of("If-Match", "\"1\""));
      if (r.status() != 403 && r.status() != 404) {
        answered.add(op.id() + " -> " + r.status());
      }
    }
    assertThat(answered).isEmpty();
    // The walk is not vacuous: the platform owner is served on the same paths.
    String owner = platform.token(platform.platformOwner());
    expect(api.get("/v1/platform/tenants/" + clinic.tenant.id(), owner), 200);
    expect(api.get("/v1/platform/regions", owner), 200);
  }

  private static List<Operation> operations() {
    JsonObject paths = Contract.load().document().getJsonObject("paths");
    List<Operation> ops = new ArrayList<>();
    for (String template : paths.fieldNames()) {
      for (String method : List.of("get", "post", "put", "patch", "delete")) {
        JsonObject op = paths.getJsonObject(template).getJsonObject(method);
        if (op != null) {
          ops.add(new Operation(op.getString("operationId"), method.toUpperCase(), template, op));
        }
      }
    }
    return ops;
  }
}
