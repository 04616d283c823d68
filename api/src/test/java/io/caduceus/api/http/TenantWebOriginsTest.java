package io.caduceus.api.http;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** A tenant's own web origins (its patient portal on its own domain): CORS allows them for that tenant only. */
class TenantWebOriginsTest {

  private final Api api = TestPlatform.get().api();

  @Test
  void aTenantsOwnOriginReadsThatTenantsAnswersAndNoOtherTenants() {
    Clinic clinic = Clinic.in("us");
    Clinic other = Clinic.in("us");
    String portal = "https://portal-" + clinic.tenant.slug() + ".example";
    String path = "/v1/tenants/" + clinic.tenant.id() + "/web-origins";
    String admin = clinic.token(clinic.admin);
    Map<String, String> fromPortal = Map.of("Origin", portal);
    assertThat(expect(api.send("GET", "/v1/patients", clinic.token(clinic.desk), null, fromPortal), 200)
        .header("Access-Control-Allow-Origin")).isNull();

    JsonObject stored = expect(api.put(path, admin, new JsonObject().put("origins", new JsonArray()
        .add(portal.toUpperCase().replace("HTTPS", "https") + ":443/"))), 200).json();
    assertThat(stored.getJsonArray("origins")).containsExactly(portal);
    assertThat(expect(api.get(path, admin), 200).json().getJsonArray("origins")).containsExactly(portal);

    Api.Response preflight = api.send("OPTIONS", "/v1/patients", null, null, Map.of("Origin", portal,
        "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization"));
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(portal);
    assertThat(expect(api.send("GET", "/v1/patients", clinic.token(clinic.desk), null, fromPortal), 200)
        .header("Access-Control-Allow-Origin")).isEqualTo(portal);
    assertThat(expect(api.send("GET", "/v1/patients", other.token(other.desk), null, fromPortal), 200)
        .header("Access-Control-Allow-Origin")).as("another tenant's answer").isNull();
    assertThat(expect(api.send("GET", "/v1/patients", null, null, fromPortal), 401)
        .header("Access-Control-Allow-Origin")).as("an answer of no tenant yet").isEqualTo(portal);

    expect(api.put(path, other.token(other.admin), new JsonObject().put("origins", new JsonArray())), 403);
    expect(api.put(path, clinic.token(clinic.desk), new JsonObject().put("origins", new JsonArray())), 403);
    Api.Response invalid = expect(api.put(path, admin, new JsonObject().put("origins", new JsonArray()
        .add(portal).add("https://[::1]:8443"))), 400);
    assertThat(invalid.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).startsWith("/origins");
    expect(api.put(path, admin, new JsonObject().put("origins", new JsonArray().add("https://app.example/path"))),
        400);

    expect(api.put(path, admin, new JsonObject().put("origins", new JsonArray())), 200);
    assertThat(expect(api.send("GET", "/v1/patients", clinic.token(clinic.desk), null, fromPortal), 200)
        .header("Access-Control-Allow-Origin")).isNull();
  }
}
