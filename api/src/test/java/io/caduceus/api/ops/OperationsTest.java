package io.caduceus.api.ops;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

class OperationsTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void livenessAndReadinessReportEveryDependency() {
    assertThat(expect(api.get("/health/live", null), 200).json().getString("status")).isEqualTo("up");
    JsonObject ready = expect(api.get("/health/ready", null), 200).json();
    assertThat(ready.getJsonObject("checks").getMap())
        .containsEntry("controlPlane", "up").containsEntry("region:us", "up").containsEntry("region:eu", "up")
        .containsEntry("redis", "up");
  }

  @Test
  void metricsNeedTheScrapeTokenAndTimeRequestsInLatencyBucketsPerOperationNeverPerTenant() {
    Clinic clinic = Clinic.in("us");
    String id = clinic.patient("Metricsonly", "Quentin").getString("id");
    expect(api.get("/v1/patients/" + id, clinic.token(clinic.desk)), 200);
    assertThat(expect(api.get("/metrics", null), 401).header("Content-Type")).isEqualTo("application/problem+json");
    expect(api.get("/metrics", "not-the-token"), 401);
    String metrics = expect(api.get("/metrics", TestPlatform.METRICS_TOKEN), 200).body();
    assertThat(metrics).contains("caduceus_http_requests_seconds_bucket{operation=\"getPatient\",status=\"200\",le=\"0.1\"}")
        .contains("caduceus_http_requests_seconds_bucket{operation=\"getPatient\",status=\"200\",le=\"+Inf\"}");
    assertThat(metrics.lines().filter(l -> l.startsWith("caduceus_http_requests_seconds")))
        .noneMatch(l -> l.contains("tenant="));
    assertThat(metrics).contains("caduceus_http_tenant_requests_seconds_count{operation=\"getPatient\",status=\"200\","
        + "tenant=\"" + clinic.tenant.id() + "\"}");
    assertThat(metrics.lines().filter(l -> l.startsWith("caduceus_http_tenant_requests_seconds")))
        .noneMatch(l -> l.contains("le=\""));
    assertThat(metrics).contains("vertx_pool_");
    assertThat(metrics).doesNotContain("Metricsonly").doesNotContain(id);
  }

  @Test
  void theContractIsPublishedAsWrittenNamingThisServerAndRenderedAsDocs() throws Exception {
    Api.Response yaml = expect(api.get("/openapi.yaml", null), 200);
    String written = Files.readString(Path.of("..", "openapi.yaml"));
    String server = "servers:\n  - url: \"" + publicUrl() + "\"\n    description: This server.\n";
    assertThat(yaml.body()).isEqualTo(written.replaceFirst("(?m)^servers:\\n(?:[ \\t]+.*\\n)*",
        java.util.regex.Matcher.quoteReplacement(server)));
    assertThat(yaml.body()).contains("application/problem+json").doesNotContain("http://localhost:8080");
    Api.Response docs = expect(api.get("/docs", null), 200);
    assertThat(docs.header("Content-Type")).startsWith("text/html");
    assertThat(docs.body()).contains("swagger-ui-bundle.js");
    assertThat(expect(api.get("/docs/swagger-ui-bundle.js", null), 200).body()).contains("SwaggerUIBundle");
    expect(api.get("/docs/init.js", null), 200);
    expect(api.get("/docs/secrets.txt", null), 404);
  }

  @Test
  void theContractAnswers304WhileTheCopyHeldIsCurrent() {
    String etag = expect(api.get("/openapi.yaml", null), 200).header("ETag");
    Api.Response again = expect(api.send("GET", "/openapi.yaml", null, null, Map.of("If-None-Match", etag)), 304);
    assertThat(again.body()).isEmpty();
    expect(api.send("GET", "/openapi.yaml", null, null, Map.of("If-None-Match", "\"an-older-contract\"")), 200);
  }

  private String publicUrl() {
    return "http://127.0.0.1:" + platform.app().port();
  }

  @Test
  void theJwksPublishesEs256PublicKeysOnly() {
    JsonObject key = expect(api.get("/.well-known/jwks.json", null), 200).json().getJsonArray("keys").getJsonObject(0);
    assertThat(key.getString("kty")).isEqualTo("EC");
    assertThat(key.getString("crv")).isEqualTo("P-256");
    assertThat(key.getString("alg")).isEqualTo("ES256");
    assertThat(key.fieldNames()).doesNotContain("d");
  }
}
