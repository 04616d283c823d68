package io.caduceus.api.http;

import io.caduceus.api.audit.OperationAudits;
import io.caduceus.api.boot.AppConfig;
import io.caduceus.api.boot.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.openapi.contract.OpenAPIContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class ContractTest {

  @Test
  void vertxOpenapiRefusesTheContractAsWritten(Vertx vertx, VertxTestContext test) {
    OpenAPIContract.from(vertx, Contract.load().document())
        .onComplete(test.failing(error -> test.verify(() -> {
          assertThat(error).hasMessageContaining("unsupported media type");
          test.completeNow();
        })));
  }

  @Test
  void theRouterCopyDropsOnlyUnsupportedResponseMediaTypes(Vertx vertx, VertxTestContext test) {
    Contract contract = Contract.load();
    JsonObject copy = contract.routerCopy();
    assertThat(responseMediaTypes(copy)).doesNotContain("application/problem+json", "text/html", "application/yaml")
        .contains("application/json", "text/plain");
    assertThat(responseMediaTypes(contract.document())).contains("application/problem+json", "text/html");
    JsonObject updatePatient = copy.getJsonObject("paths").getJsonObject("/v1/patients/{patientId}")
        .getJsonObject("patch");
    assertThat(updatePatient.getJsonArray("parameters").encode()).contains("PatientIdPath").doesNotContain("IfMatch");
    assertThat(contract.document().getJsonObject("paths").getJsonObject("/v1/patients/{patientId}")
        .getJsonObject("patch").getJsonArray("parameters").encode()).contains("IfMatch");
    JsonObject createPatient = copy.getJsonObject("paths").getJsonObject("/v1/patients").getJsonObject("post");
    assertThat(createPatient.getJsonObject("requestBody").getJsonObject("content").fieldNames())
        .containsExactly("application/json");
    contract.forRouter(vertx).onComplete(test.succeeding(openapi -> test.verify(() -> {
      assertThat(openapi.operations()).hasSizeGreaterThan(40);
      test.completeNow();
    })));
  }

  @Test
  void aStartReadsTheJsonFormMadeAtBuildTimeWhichIsTheYamlParsed() throws Exception {
    byte[] yaml;
    byte[] json;
    try (var in = Contract.class.getResourceAsStream(Contract.RESOURCE);
         var form = Contract.class.getResourceAsStream(ContractJson.RESOURCE)) {
      assertThat(form).as("openapi.json, made by the build's process-classes step").isNotNull();
      yaml = in.readAllBytes();
      json = form.readAllBytes();
    }
    JsonObject form = ContractJson.form(json, yaml);
    assertThat(form).as("the JSON form was made from this YAML").isNotNull();
    JsonObject fromJson = form.getJsonObject("document");
    assertThat(fromJson).isEqualTo(ContractJson.parse(new String(yaml, java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(Contract.load().document()).isEqualTo(fromJson);
    byte[] edited = java.util.Arrays.copyOf(yaml, yaml.length + 1);
    edited[yaml.length] = '\n';
    assertThat(ContractJson.form(json, edited)).as("a stale JSON form is not used").isNull();
  }

  @Test
  void theVersionRecordedAtBuildTimeIsTheYamlsSha256() throws Exception {
    byte[] yaml;
    try (var in = Contract.class.getResourceAsStream(Contract.RESOURCE)) {
      yaml = in.readAllBytes();
    }
    String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(yaml));
    assertThat(Contract.load().version()).isEqualTo(sha256);
  }

  @Test
  void routesAndOperationsAreReadFromTheDocumentWithoutChangingIt() {
    Contract contract = Contract.load();
    JsonObject before = contract.document();
    JsonObject operation = contract.operation("getPatient");
    assertThat(operation).isEqualTo(before.getJsonObject("paths").getJsonObject("/v1/patients/{patientId}")
        .getJsonObject("get"));
    operation.put("operationId", "changed");
    assertThat(contract.operation("getPatient")).as("the caller's copy is its own").isNotNull();
    assertThat(contract.operation("noSuchOperation")).isNull();
    assertThat(contract.routes().find("/v1/patients/123")).isPresent();
    assertThat(contract.document()).isEqualTo(before);
  }

  @Test
  void theModelBuiltWithoutTheMetaSchemaCheckIsTheOneTheCheckedBuildMakes(Vertx vertx, VertxTestContext test) {
    Contract contract = Contract.load();
    // OpenAPIContract.from checks the router's copy against the OpenAPI meta-schema (as the build does, in
    // ContractJson); forRouter skips that check at start-up and must build the same model.
    OpenAPIContract.from(vertx, contract.routerCopy())
        .compose(checked -> contract.forRouter(vertx).map(fast -> {
          assertThat(fast.getRawContract()).isEqualTo(checked.getRawContract());
          assertThat(fast.operations().stream().map(o -> o.getHttpMethod() + " " + o.getOpenAPIPath()).sorted())
              .containsExactlyElementsOf(checked.operations().stream()
                  .map(o -> o.getHttpMethod() + " " + o.getOpenAPIPath()).sorted().toList());
          assertThat(fast.getServers()).hasSameSizeAs(checked.getServers());
          // Every JSON request body's schema judges the same values alike in both models (the fast one's
          // repository holds no meta-schemas).
          int bodies = 0;
          for (var op : checked.operations()) {
            var body = op.getRequestBody();
            if (body == null || body.getContent().get("application/json") == null) {
              continue;
            }
            var fastBody = fast.operation(op.getOperationId()).getRequestBody().getContent().get("application/json");
            for (Object value : List.of(new JsonObject(), new JsonArray(), "x", 1,
                new JsonObject().put("unexpected", true))) {
              var expected = checked.getSchemaRepository()
                  .validator(body.getContent().get("application/json").getSchema()).validate(value);
              var actual = fast.getSchemaRepository().validator(fastBody.getSchema()).validate(value);
              assertThat(actual.getValid()).as(op.getOperationId() + " " + value).isEqualTo(expected.getValid());
              assertThat(String.valueOf(actual.getErrors())).isEqualTo(String.valueOf(expected.getErrors()));
            }
            bodies++;
          }
          assertThat(bodies).isGreaterThan(20);
          return fast;
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void theBuildStepRefusesAContractTheMetaSchemaRefuses(@TempDir Path dir) throws Exception {
    JsonObject invalid = Contract.load().document();
    invalid.getJsonObject("info").remove("title");
    Path yaml = Files.writeString(dir.resolve("openapi.yaml"), invalid.encodePrettily()); // JSON is YAML too
    Path json = dir.resolve("openapi.json");
    assertThatThrownBy(() -> ContractJson.main(new String[] {yaml.toString(), json.toString()}))
        .hasMessageContaining("invalid");
    assertThat(json).doesNotExist();
  }

  private static Set<String> responseMediaTypes(JsonObject contract) {
    Set<String> types = new HashSet<>();
    JsonObject shared = contract.getJsonObject("components").getJsonObject("responses");
    shared.forEach(r -> types.addAll(((JsonObject) r.getValue()).getJsonObject("content", new JsonObject()).fieldNames()));
    JsonObject paths = contract.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      paths.getJsonObject(path).forEach(op -> ((JsonObject) op.getValue()).getJsonObject("responses")
          .forEach(r -> types.addAll(((JsonObject) r.getValue()).getJsonObject("content", new JsonObject()).fieldNames())));
    }
    return types;
  }

  @Test
  void startRefusesAnUnboundOperation(Vertx vertx, VertxTestContext test) {
    Contract.load().forRouter(vertx).onComplete(test.succeeding(openapi -> test.verify(() -> {
      AppConfig.Quotas off = ConfigLoader.resolve(new JsonObject().put("quotas", new JsonObject().put("enabled", false)),
          Map.of()).quotas();
      Operations ops = new Operations(RouterBuilder.create(vertx, openapi), rc -> rc.next(),
          new QuotaHandler(null, null, off), new OperationAudits(null));
      ops.bindRaw("getLiveness", rc -> rc.end());
      assertThatThrownBy(ops::requireAllBound).hasMessageContaining("operations without a handler")
          .hasMessageContaining("getPatient");
      assertThatThrownBy(() -> ops.bindRaw("getLiveness", rc -> rc.end())).hasMessageContaining("bound twice");
      assertThatThrownBy(() -> ops.bindRaw("noSuchOperation", rc -> rc.end())).hasMessageContaining("not in the contract");
      test.completeNow();
    })));
  }
}
