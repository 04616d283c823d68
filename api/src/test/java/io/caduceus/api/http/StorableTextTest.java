package io.caduceus.api.http;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ContractSamples;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text PostgreSQL cannot store as sent (a NUL, an unpaired surrogate) is refused with a 400 naming the field, on
 * every operation, before any handler runs: each operation's body is built from its contract schema alone.
 */
class StorableTextTest {

  /** The two kinds of unstorable text, as JSON escapes, so the bytes on the wire are exactly these. */
  private static final List<String> UNSTORABLE = List.of("a\\u0000b", "a\\ud800b", "\\udc00", "\\u0000");

  private static Clinic clinic;
  private final Api api = TestPlatform.get().api();

  @BeforeAll
  static void aClinic() {
    clinic = Clinic.in("us");
  }

  @Test
  void everyOperationWithAJsonBodyRefusesUnstorableTextNamingEachField() {
    JsonObject contract = Contract.load().document();
    List<String> failures = new ArrayList<>();
    List<String> covered = new ArrayList<>();
    int n = 0;
    for (Operation op : operations(contract)) {
      Optional<ContractSamples.Sample> sample = ContractSamples.of(contract, op.bodySchema());
      if (sample.isEmpty() || sample.get().freePointers().isEmpty()) {
        continue;
      }
      String bad = UNSTORABLE.get(n++ % UNSTORABLE.size());
      // As long as the marker once decoded, so the sample still meets every length the contract sets.
      bad = bad + "x".repeat(ContractSamples.FREE.length() - bad.replaceAll("\\\\u[0-9a-f]{4}", "u").length());
      // If-Match for the operations that require it: the check for it runs before the body is read.
      String body = String.valueOf(sample.get().body() instanceof JsonObject o ? o.encode()
          : ((JsonArray) sample.get().body()).encode()).replace(ContractSamples.FREE, bad);
      boolean scim = op.template().startsWith("/scim/");
      Api.Response r = api.send(op.method(), op.path(), scim ? scimToken() : clinic.token(clinic.admin), body,
          Map.of("Content-Type", "application/json", "If-Match", "\"1\""));
      // SCIM's error document has no field list: its detail names the fields instead (RFC 7644 §3.12).
      List<String> pointers = r.status() != 400 ? List.of() : scim ? sample.get().freePointers().stream()
          .filter(p -> r.json().getString("detail", "").contains(p)).toList()
          : r.body().contains("\"errors\"") ? r.json().getJsonArray("errors")
          .stream().map(e -> ((JsonObject) e).getString("pointer")).toList() : List.of();
      if (r.status() != 400 || !pointers.containsAll(sample.get().freePointers()) || r.body().contains("\\u0000")
          || r.body().contains("\\ud800") || r.body().contains("\\udc00")) {
        failures.add(op.method() + " " + op.template() + " -> " + r.status() + " " + r.body());
      }
      covered.add(op.operationId());
    }
    assertThat(failures).isEmpty();
    assertThat(covered).hasSizeGreaterThanOrEqualTo(25)
        .contains("createPatient", "bookAppointment", "sendSecureMessage", "updatePatient", "createPractitioner");
  }

  private String scimToken;

  private String scimToken() {
    if (scimToken == null) {
      scimToken = expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/scim-tokens", clinic.token(clinic.admin),
          new JsonObject().put("name", "Storable")), 201).json().getString("token");
    }
    return scimToken;
  }

  @Test
  void aNulInAPatientNameIsA400NamingTheFieldNotA500() {
    Api.Response r = expect(api.send("POST", "/v1/patients", clinic.token(clinic.desk),
        "{\"name\":{\"family\":\"Nul\\u0000Secret\"},\"birthDate\":\"1980-01-01\"}", Map.of()), 400);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    JsonObject error = r.json().getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("pointer")).isEqualTo("/name/family");
    assertThat(error.getString("detail")).contains("NUL");
    assertThat(r.body()).doesNotContain("Secret");
  }

  @Test
  void aLoneSurrogateIsRefusedInsteadOfBeingStoredAsAQuestionMark() {
    String patientId = clinic.patient("Surrogate", "Sam").getString("id");
    Api.Response r = expect(api.send("PATCH", "/v1/patients/" + patientId, clinic.token(clinic.desk),
        "{\"name\":{\"family\":\"Bad\\ud800Name\"}}", Map.of("If-Match", "\"1\"")), 400);
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/name/family");
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("detail")).contains("surrogate");
    JsonObject kept = expect(api.get("/v1/patients/" + patientId, clinic.token(clinic.desk)), 200).json();
    assertThat(kept.getJsonObject("name").getString("family")).isEqualTo("Surrogate");
    String pair = "{\"name\":{\"family\":\"Emoji\\ud83d\\ude00\"}}";
    JsonObject emoji = expect(api.send("PATCH", "/v1/patients/" + patientId, clinic.token(clinic.desk), pair,
        Map.of("If-Match", "\"1\"")), 200).json();
    assertThat(emoji.getJsonObject("name").getString("family")).isEqualTo("Emoji\uD83D\uDE00");
  }

  @Test
  void rawBytesOfAnEncodedSurrogateAreRefusedToo() throws Exception {
    byte[] prefix = "{\"name\":{\"family\":\"A".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] suffix = "\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] body = new byte[prefix.length + 3 + suffix.length];
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    body[prefix.length] = (byte) 0xED;
    body[prefix.length + 1] = (byte) 0xA0;
    body[prefix.length + 2] = (byte) 0x80;
    System.arraycopy(suffix, 0, body, prefix.length + 3, suffix.length);
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TestPlatform.get().app().port()
            + "/v1/patients")).header("Authorization", "Bearer " + clinic.token(clinic.desk))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
  }

  @Test
  void aQueryParameterWithANulIsA400NamingTheParameter() {
    Api.Response r = expect(api.get("/v1/patients?name=a%00b", clinic.token(clinic.desk)), 400);
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("name");
  }

  /** One operation of the contract with a JSON body, with a concrete path. */
  private record Operation(String operationId, String method, String template, String path, JsonObject bodySchema) {
  }

  /** The template with each path parameter replaced by a value its schema accepts, or null if none can be built. */
  private static String path(JsonObject contract, String template, JsonObject item, JsonObject op) {
    String path = template.replace("{tenantId}", clinic.tenant.id().toString());
    JsonArray parameters = op.getJsonArray("parameters", new JsonArray()).copy()
        .addAll(item.getJsonArray("parameters", new JsonArray()));
    for (Object p : parameters) {
      JsonObject parameter = (JsonObject) p;
      if (parameter.containsKey("$ref")) {
        parameter = contract.getJsonObject("components").getJsonObject("parameters")
            .getJsonObject(parameter.getString("$ref").substring("#/components/parameters/".length()));
      }
      if ("path".equals(parameter.getString("in")) && path.contains("{" + parameter.getString("name") + "}")) {
        Optional<ContractSamples.Sample> value = ContractSamples.of(contract, parameter.getJsonObject("schema"));
        if (value.isEmpty()) {
          return null;
        }
        path = path.replace("{" + parameter.getString("name") + "}",
            String.valueOf(value.get().body()).replace(ContractSamples.FREE, "sample"));
      }
    }
    return path.contains("{") ? null : path;
  }

  private static List<Operation> operations(JsonObject contract) {
    JsonObject paths = contract.getJsonObject("paths");
    List<Operation> ops = new ArrayList<>();
    for (String template : paths.fieldNames()) {
      for (String method : List.of("post", "put", "patch")) {
        JsonObject op = paths.getJsonObject(template).getJsonObject(method);
        JsonObject json = op == null ? null : op.getJsonObject("requestBody", new JsonObject())
            .getJsonObject("content", new JsonObject()).getJsonObject("application/json");
        String path = json == null ? null : path(contract, template, paths.getJsonObject(template), op);
        if (path != null) {
          ops.add(new Operation(op.getString("operationId"), method.toUpperCase(), template, path,
              json.getJsonObject("schema")));
        }
      }
    }
    return ops;
  }
}
