package io.caduceus.api.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.openapi.contract.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract declares what the server can answer, so a generated client can handle it: walked over every
 * operation, each rule names the operations that break it.
 */
@ExtendWith(VertxExtension.class)
class ContractConventionsTest {

  /** The operations that answer from memory: no database or Redis outage can reach them. */
  private static final Set<String> IN_MEMORY = Set.of("getLiveness", "getMetrics", "getContract", "getDocs",
      "getDocsAsset", "getJwks");
  /** Readiness answers 503 itself, with the state of each dependency, as its documented job. */
  private static final String READINESS = "getReadiness";

  private final JsonObject contract = Contract.load().document();
  private final JsonObject components = contract.getJsonObject("components");

  @Test
  void everyOperationChargedToTheQuotasDeclares429WithRetryAfterAndTheRateLimitHeaders(Vertx vertx,
                                                                                      VertxTestContext test) {
    Contract.load().forRouter(vertx).onComplete(test.succeeding(model -> test.verify(() -> {
      List<String> failures = new ArrayList<>();
      for (Operation op : model.operations()) {
        if (!Operations.isCharged(op)) {
          continue;
        }
        JsonObject tooMany = response(operation(op.getOperationId()), "429");
        if (tooMany == null || !tooMany.getJsonObject("headers", new JsonObject()).fieldNames()
            .containsAll(Set.of("Retry-After", "RateLimit", "RateLimit-Policy"))) {
          failures.add(op.getOperationId());
        }
      }
      assertThat(model.operations().stream().filter(Operations::isCharged).count()).isGreaterThan(100);
      assertThat(failures).isEmpty();
      test.completeNow();
    })));
  }

  @Test
  void everyOperationThatReachesADatabaseOrRedisDeclares503WithRetryAfter() {
    assertThat(failures((id, op) -> {
      if (IN_MEMORY.contains(id) || READINESS.equals(id)) {
        return;
      }
      JsonObject unavailable = response(op, "503");
      if (unavailable == null || !unavailable.getJsonObject("headers", new JsonObject()).containsKey("Retry-After")) {
        throw new AssertionError("no 503 with Retry-After");
      }
    })).isEmpty();
  }

  @Test
  void everyOperationDeclaresTheRefusalsOfItsMediaTypesAndSizes() {
    assertThat(failures((id, op) -> {
      JsonObject responses = op.getJsonObject("responses");
      if (op.containsKey("requestBody") && !responses.fieldNames().containsAll(Set.of("413", "415"))) {
        throw new AssertionError("takes a body but does not declare 413 and 415");
      }
      if (answersContent(op) && !responses.containsKey("406")) {
        throw new AssertionError("answers content but does not declare 406");
      }
      if (parameters(op).stream().anyMatch(p -> "query".equals(p.getString("in"))) && !responses.containsKey("414")) {
        throw new AssertionError("takes query parameters but does not declare 414");
      }
    })).isEmpty();
  }

  @Test
  void ifMatchIsDeclaredRequiredExactlyWhereAMissingOneAnswers428() {
    List<String> required = new ArrayList<>();
    assertThat(failures((id, op) -> {
      JsonObject ifMatch = parameters(op).stream().filter(p -> "If-Match".equals(p.getString("name"))).findFirst()
          .orElse(null);
      JsonObject responses = op.getJsonObject("responses");
      boolean isRequired = ifMatch != null && ifMatch.getBoolean("required", false);
      if (isRequired) {
        required.add(id);
      }
      // SCIM's PATCH takes If-Match optionally (RFC 7644 §3.14): identity providers send none.
      if (op.getString("method").equals("patch") && !isRequired && !isScim(op)) {
        throw new AssertionError("a PATCH whose If-Match is not declared required");
      }
      if (isRequired != responses.containsKey("428")) {
        throw new AssertionError("declares 428 " + responses.containsKey("428") + " but If-Match required " + isRequired);
      }
      if (ifMatch != null && !responses.containsKey("412")) {
        throw new AssertionError("takes If-Match but does not declare 412");
      }
    })).isEmpty();
    assertThat(required).contains("updatePatient", "updateTenantSettings", "updateEncounterNotes", "updateCoverage");
  }

  @Test
  void everyReadThatSendsAnETagTakesIfNoneMatchAndDeclares304() {
    assertThat(failures((id, op) -> {
      JsonObject ok = response(op, "200");
      boolean etag = op.getString("method").equals("get") && ok != null
          && ok.getJsonObject("headers", new JsonObject()).containsKey("ETag");
      boolean takes = parameters(op).stream().anyMatch(p -> "If-None-Match".equals(p.getString("name")));
      if (etag && (!takes || response(op, "304") == null)) {
        throw new AssertionError("sends an ETag but takes no If-None-Match or declares no 304");
      }
    })).isEmpty();
  }

  @Test
  void everyCreationDeclaresTheLocationOfWhatItCreated() {
    assertThat(failures((id, op) -> {
      JsonObject created = response(op, "201");
      if (created != null && !created.getJsonObject("headers", new JsonObject()).containsKey("Location")) {
        throw new AssertionError("answers 201 without declaring Location");
      }
    })).isEmpty();
  }

  private static boolean isScim(JsonObject op) {
    return op.getJsonArray("security", new JsonArray()).stream()
        .anyMatch(r -> r instanceof JsonObject req && req.containsKey("scimBearer"));
  }

  /** Runs a rule over every operation (its JSON, with {@code method} added), collecting "operationId: why". */
  private List<String> failures(BiConsumer<String, JsonObject> rule) {
    List<String> failures = new ArrayList<>();
    JsonObject paths = contract.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : List.of("get", "put", "post", "delete", "patch")) {
        JsonObject op = paths.getJsonObject(path).getJsonObject(method);
        if (op == null) {
          continue;
        }
        try {
          rule.accept(op.getString("operationId"), op.copy().put("method", method));
        } catch (AssertionError e) {
          failures.add(op.getString("operationId") + ": " + e.getMessage());
        }
      }
    }
    return failures;
  }

  private JsonObject operation(String operationId) {
    JsonObject paths = contract.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : List.of("get", "put", "post", "delete", "patch")) {
        JsonObject op = paths.getJsonObject(path).getJsonObject(method);
        if (op != null && operationId.equals(op.getString("operationId"))) {
          return op;
        }
      }
    }
    throw new AssertionError("no operation " + operationId);
  }

  private JsonObject response(JsonObject op, String status) {
    JsonObject response = op.getJsonObject("responses").getJsonObject(status);
    return response == null ? null : resolve(response, "responses");
  }

  private List<JsonObject> parameters(JsonObject op) {
    List<JsonObject> resolved = new ArrayList<>();
    op.getJsonArray("parameters", new JsonArray()).forEach(p -> resolved.add(resolve((JsonObject) p, "parameters")));
    return resolved;
  }

  private boolean answersContent(JsonObject op) {
    JsonObject responses = op.getJsonObject("responses");
    return responses.fieldNames().stream().filter(s -> s.startsWith("2"))
        .anyMatch(s -> response(op, s).containsKey("content"));
  }

  private JsonObject resolve(JsonObject object, String kind) {
    String ref = object.getString("$ref");
    return ref == null ? object : components.getJsonObject(kind).getJsonObject(ref.substring(ref.lastIndexOf('/') + 1));
  }
}
