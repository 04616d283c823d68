package io.caduceus.api.http;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets a 4xx problem document that leaks nothing; no input produces a 5xx. */
class ErrorHandlingTest {

  private static final List<String> HOSTILE_BODIES = List.of("{}", "[]", "\"text\"", "null", "42", "{",
      "{\"name\":{\"family\":" + "[".repeat(200) + "]".repeat(200) + "}}", "{\"unknown\":true}",
      "{\"email\":5,\"roles\":\"all\",\"status\":[],\"start\":\"yesterday\",\"tenantId\":\"x\"}",
      "{\"name\":{\"family\":\"" + "A".repeat(5000) + "\"}}", "{\"refreshToken\":\"'; DROP TABLE patient; --\"}",
      "\u0000\u0001\u0002");
  private static final List<String> HOSTILE_VALUES = List.of("'%20OR%201=1--", "-1", "99999999999999999999",
      "%00", "true", "%E2%98%83", "1970-13-99", "..%2F..%2Fetc");

  private static Clinic clinic;
  private static String patientId;
  private final Api api = TestPlatform.get().api();

  @BeforeAll
  static void aClinic() {
    clinic = Clinic.in("us");
    patientId = clinic.patient("Fuzz", "Target").getString("id");
  }

  @Test
  void noOperationAnswersHostileBodiesWithA5xxOrWithoutAProblem() {
    List<String> failures = new ArrayList<>();
    for (Operation op : operations()) {
      if (!op.hasBody()) {
        continue;
      }
      for (String body : HOSTILE_BODIES) {
        for (String token : List.of(clinic.token(clinic.admin), clinic.token(clinic.doctor))) {
          Api.Response r = api.send(op.method(), op.path(), token, body, Map.of("Content-Type", "application/json"));
          check(op, body, r, failures);
        }
      }
      Api.Response plain = api.send(op.method(), op.path(), clinic.token(clinic.admin), "email=x",
          Map.of("Content-Type", "text/plain"));
      check(op, "text/plain", plain, failures);
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void noOperationAnswersHostileParametersWithA5xx() {
    List<String> failures = new ArrayList<>();
    for (Operation op : operations()) {
      for (String value : HOSTILE_VALUES) {
        String path = op.path().replace(patientId, value) + "?limit=" + value + "&cursor=" + value + "&name=" + value
            + "&from=" + value + "&status=" + value + "&patientId=" + value;
        Api.Response r = api.send(op.method(), path, clinic.token(clinic.admin), op.hasBody() ? "{}" : null, Map.of());
        check(op, value, r, failures);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void malformedJsonIsA400Problem() {
    Api.Response r = expect(api.send("POST", "/v1/patients", clinic.token(clinic.desk), "{\"name\":", Map.of()), 400);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.json().getString("requestId")).isEqualTo(r.header("X-Request-Id"));
  }

  @Test
  void anOversizedBodyIsRefusedWith413() {
    String big = "{\"name\":{\"family\":\"" + "x".repeat(1_200_000) + "\"}}";
    Api.Response r = expect(api.send("POST", "/v1/patients", clinic.token(clinic.desk), big, Map.of()), 413);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() {
    assertThat(expect(api.get("/v1/nothing-here", null), 404).header("Content-Type"))
        .startsWith("application/problem+json");
    assertThat(expect(api.send("PUT", "/v1/patients", clinic.token(clinic.desk), "{}", Map.of()), 405)
        .header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void aRequestIdIsEchoedWhenWellFormedAndReplacedOtherwise() {
    Api.Response kept = api.send("GET", "/health/live", null, null, Map.of("X-Request-Id", "client-abc-123"));
    assertThat(kept.header("X-Request-Id")).isEqualTo("client-abc-123");
    Api.Response replaced = api.send("GET", "/health/live", null, null, Map.of("X-Request-Id", "bad id\"<script>"));
    assertThat(replaced.header("X-Request-Id")).doesNotContain("script").hasSize(36);
  }

  @Test
  void aValidationProblemNamesTheFieldButNotTheValue() {
    Api.Response r = expect(api.post("/v1/patients", clinic.token(clinic.desk), new JsonObject()
        .put("name", new JsonObject().put("family", "Secret-Surname")).put("contact",
            new JsonObject().put("phone", "call-me-SECRET"))), 400);
    assertThat(r.body()).doesNotContain("SECRET").doesNotContain("Secret-Surname");
    assertThat(r.json().getJsonArray("errors").encode()).contains("/contact/phone");
  }

  @Test
  void aParameterProblemNamesTheParameterAndTheBrokenRuleButNotTheValue() {
    Api.Response r = expect(api.get("/v1/patients?limit=4567", clinic.token(clinic.desk)), 400);
    JsonObject error = r.json().getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("pointer")).isEqualTo("limit");
    assertThat(error.getString("detail")).isEqualTo("is above the maximum");
    assertThat(r.body()).doesNotContain("4567");
  }

  private static void check(Operation op, String input, Api.Response r, List<String> failures) {
    String what = op.method() + " " + op.template() + " with " + abbreviate(input) + " -> " + r.status();
    if (r.status() >= 500) {
      failures.add(what + " " + r.body());
    } else if (r.status() >= 400) {
      String type = r.header("Content-Type");
      // SCIM answers its own error document (RFC 7644 §3.12) under /scim/, the FHIR facade an OperationOutcome.
      String expected = op.template().startsWith("/scim/") ? "application/scim+json"
          : op.template().startsWith("/fhir/") ? "application/fhir+json" : "application/problem+json";
      if (type == null || !type.startsWith(expected)) {
        failures.add(what + " without a problem document");
      } else if (r.body().contains("SELECT") || r.body().contains("Exception") || r.body().contains("at io.")) {
        failures.add(what + " leaks internals: " + r.body());
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  /** One operation of the contract, with a concrete path. */
  private record Operation(String method, String template, String path, boolean hasBody) {
  }

  private static List<Operation> operations() {
    JsonObject paths = Contract.load().document().getJsonObject("paths");
    List<Operation> ops = new ArrayList<>();
    for (String template : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(template);
      for (String method : List.of("get", "post", "put", "patch", "delete")) {
        JsonObject op = item.getJsonObject(method);
        if (op == null || template.startsWith("/docs")) {
          continue;
        }
        String path = template.replace("{tenantId}", clinic.tenant.id().toString())
            .replace("{patientId}", patientId)
            .replace("{asset}", "swagger-ui.css");
        path = path.replaceAll("\\{[a-zA-Z]+}", UUID.randomUUID().toString());
        ops.add(new Operation(method.toUpperCase(), template, path, op.containsKey("requestBody")));
      }
    }
    return ops;
  }
}
