package io.caduceus.api.http;

import io.caduceus.api.audit.OperationAudits;
import io.caduceus.api.boot.AppConfig;
import io.caduceus.api.boot.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.openapi.contract.OpenAPIContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
