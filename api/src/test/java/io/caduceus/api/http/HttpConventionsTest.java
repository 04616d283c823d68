package io.caduceus.api.http;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP conventions a client (a browser app, a generated client) expects, walked over every path and operation
 * of the contract: OPTIONS and 405 with {@code Allow}, CORS, 415 and 406, what caches may keep, conditional GETs,
 * compression, and problem documents for requests refused before routing.
 */
class HttpConventionsTest {

  private static final String ORIGIN = TestPlatform.WEB_ORIGIN;
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

  private static Clinic clinic;
  private final Api api = TestPlatform.get().api();
  private final ContractRoutes routes = ContractRoutes.of(Contract.load().document());

  @BeforeAll
  static void aClinic() {
    clinic = Clinic.in("us");
  }

  @Test
  void everyPathAnswersOptionsWithItsMethodsAndAnyOtherMethodWith405AndAllow() {
    List<String> failures = new ArrayList<>();
    for (String template : routes.templates()) {
      String path = concrete(template);
      ContractRoutes.Route route = routes.find(path).orElseThrow();
      String allow = route.allow();
      Api.Response options = api.send("OPTIONS", path, null, null, Map.of());
      if (options.status() != 204 || !allow.equals(options.header("Allow"))) {
        failures.add("OPTIONS " + template + " -> " + options.status() + " Allow " + options.header("Allow"));
      }
      for (String method : METHODS) {
        if (route.operations().containsKey(HttpMethod.valueOf(method))) {
          continue;
        }
        Api.Response r = api.send(method, path, clinic.token(clinic.admin), method.equals("GET") ? null : "{}",
            Map.of());
        if (r.status() != 405 || !allow.equals(r.header("Allow")) || !isProblem(r)) {
          failures.add(method + " " + template + " -> " + r.status() + " Allow " + r.header("Allow"));
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void aPreflightFromAnAllowedOriginIsAnsweredForEveryPathBeforeAnyToken() {
    List<String> failures = new ArrayList<>();
    for (String template : routes.templates()) {
      ContractRoutes.Route route = routes.find(concrete(template)).orElseThrow();
      String method = route.operations().keySet().iterator().next().name();
      Api.Response r = api.send("OPTIONS", concrete(template), null, null, Map.of("Origin", ORIGIN,
          "Access-Control-Request-Method", method,
          "Access-Control-Request-Headers", "authorization,content-type,if-match,idempotency-key"));
      Set<String> methods = route.operations().keySet().stream().map(HttpMethod::name).collect(Collectors.toSet());
      if (r.status() != 204 || !ORIGIN.equals(r.header("Access-Control-Allow-Origin"))
          || !methods.equals(list(r.header("Access-Control-Allow-Methods")))) {
        failures.add(template + " -> " + r.status() + " " + r.headers());
      }
    }
    assertThat(failures).isEmpty();
    Api.Response r = api.send("OPTIONS", "/v1/patients", null, null, Map.of("Origin", ORIGIN,
        "Access-Control-Request-Method", "POST"));
    assertThat(list(r.header("Access-Control-Allow-Headers"))).contains("Authorization", "Content-Type", "If-Match",
        "If-None-Match", "Idempotency-Key", "X-Request-Id");
    assertThat(r.header("Access-Control-Max-Age")).isEqualTo("600");
    assertThat(r.header("Access-Control-Allow-Credentials")).isNull();
    assertThat(values(r, "Vary")).contains("Origin");
  }

  @Test
  void answersToAnAllowedOriginNameItAndExposeTheHeadersAClientActsOn() {
    Map<String, String> fromApp = Map.of("Origin", ORIGIN);
    Api.Response created = expect(api.post("/v1/patients", clinic.token(clinic.desk), new JsonObject()
        .put("name", new JsonObject().put("family", "Cors").put("given", "Carla")).put("birthDate", "1990-02-03")
        .put("sex", "female"), fromApp), 201);
    Api.Response read = expect(api.send("GET", created.header("Location"), clinic.token(clinic.desk), null, fromApp),
        200);
    Api.Response refused = expect(api.send("GET", "/v1/patients", null, null, fromApp), 401);
    for (Api.Response r : List.of(created, read, refused)) {
      assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
      assertThat(values(r, "Vary")).contains("Origin");
      assertThat(list(r.header("Access-Control-Expose-Headers"))).contains("ETag", "Location", "RateLimit",
          "RateLimit-Policy", "Retry-After", "Idempotent-Replayed", "X-Request-Id", "WWW-Authenticate");
      assertThat(r.header("Access-Control-Allow-Credentials")).isNull();
    }
  }

  @Test
  void aDisallowedOriginGetsNoCorsHeaders() {
    Map<String, String> fromElsewhere = Map.of("Origin", "https://elsewhere.example");
    Api.Response preflight = api.send("OPTIONS", "/v1/patients", null, null, Map.of("Origin",
        "https://elsewhere.example", "Access-Control-Request-Method", "GET"));
    Api.Response read = expect(api.send("GET", "/v1/patients", clinic.token(clinic.desk), null, fromElsewhere), 200);
    Api.Response lookalike = expect(api.send("GET", "/v1/patients", clinic.token(clinic.desk), null,
        Map.of("Origin", ORIGIN + ".elsewhere.example")), 200);
    for (Api.Response r : List.of(preflight, read, lookalike)) {
      assertThat(r.headers().keySet()).noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
      assertThat(values(r, "Vary")).contains("Origin");
    }
  }

  @Test
  void aBodyInAMediaTypeTheOperationDoesNotReadAnswers415NamingTheOnesItDoes() {
    List<String> failures = new ArrayList<>();
    for (Op op : operations()) {
      if (op.route().consumes().isEmpty()) {
        continue;
      }
      Api.Response r = api.send(op.method(), op.path(), clinic.token(clinic.admin), "<patient/>",
          Map.of("Content-Type", "application/xml"));
      if (r.status() != 415 || !isProblem(r) || !op.route().consumes().equals(list(r.header("Accept")))) {
        failures.add(op + " -> " + r.status() + " Accept " + r.header("Accept"));
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void anAcceptHeaderNoAnswerCanMeetAnswers406AndOneThatAdmitsAnAnswerDoesNot() {
    List<String> failures = new ArrayList<>();
    for (Op op : operations()) {
      if (op.route().produces().isEmpty()) {
        continue;
      }
      Api.Response r = api.send(op.method(), op.path(), null, null, Map.of("Accept", "application/x-nothing"));
      if (r.status() != 406 || !isProblem(r)) {
        failures.add(op + " -> " + r.status());
      }
    }
    assertThat(failures).isEmpty();
    for (String accept : List.of("*/*", "application/*", "application/json;q=0.5, text/html", "APPLICATION/JSON")) {
      expect(api.send("GET", "/v1/patients", clinic.token(clinic.desk), null, Map.of("Accept", accept)), 200);
    }
    expect(api.send("GET", "/v1/patients", clinic.token(clinic.desk), null,
        Map.of("Accept", "application/json;q=0, */*;q=0.5")), 406);
  }

  @Test
  void aChangeWithoutTheIfMatchItsContractRequiresAnswers428() {
    List<String> failures = new ArrayList<>();
    List<String> walked = new ArrayList<>();
    JsonObject contract = Contract.load().document();
    for (Op op : operations()) {
      JsonObject declared = contract.getJsonObject("paths").getJsonObject(op.template())
          .getJsonObject(op.method().toLowerCase());
      boolean required = declared.getJsonArray("parameters", new io.vertx.core.json.JsonArray()).stream()
          .map(p -> ((JsonObject) p).getString("$ref", ""))
          .anyMatch("#/components/parameters/IfMatch"::equals);
      if (!required) {
        continue;
      }
      walked.add(op.route().operationId());
      // In a media type the operation reads, so that only the missing If-Match is wrong.
      String media = op.route().consumes().isEmpty() ? "application/json" : op.route().consumes().iterator().next();
      Api.Response r = api.send(op.method(), op.path(), clinic.token(clinic.admin), "{}", Map.of("Content-Type", media));
      boolean fhir = op.template().startsWith("/fhir/");
      if (r.status() != 428 || !isProblem(r) || !(fhir ? "conflict".equals(r.json().getJsonArray("issue")
          .getJsonObject(0).getString("code")) : "urn:caduceus:problem:precondition-required".equals(
          r.json().getString("type")))) {
        failures.add(op + " -> " + r.status() + " " + r.body());
      }
    }
    assertThat(walked).contains("updatePatient", "rescheduleAppointment", "updateTenantSettings");
    assertThat(failures).isEmpty();
  }

  @Test
  void everyAnswerChargedToAQuotaComesFromAnOperationThatDeclares429() {
    JsonObject paths = Contract.load().document().getJsonObject("paths");
    List<String> failures = new ArrayList<>();
    int charged = 0;
    for (Op op : operations()) {
      if (!op.method().equals("GET")) {
        continue;
      }
      Api.Response r = api.get(op.path(), clinic.token(clinic.admin));
      if (r.header("RateLimit") == null) {
        continue;
      }
      charged++;
      if (!paths.getJsonObject(op.template()).getJsonObject("get").getJsonObject("responses").containsKey("429")) {
        failures.add(op + " -> " + r.status() + " charged, but 429 is not declared");
      }
    }
    assertThat(charged).isGreaterThan(40);
    assertThat(failures).isEmpty();
  }

  @Test
  void noV1AnswerMayBeStoredWhileThePublicResourcesSayHowLongTheyKeep() {
    List<String> failures = new ArrayList<>();
    for (Op op : operations()) {
      // Reads, and writes whose body the contract refuses: nothing changes, every kind of answer is seen.
      boolean read = op.method().equals("GET");
      if (!op.path().startsWith("/v1/") || !read && op.route().consumes().isEmpty()) {
        continue;
      }
      Api.Response r = api.send(op.method(), op.path(), clinic.token(clinic.admin), read ? null : "[]", Map.of());
      if (!"no-store".equals(r.header("Cache-Control"))) {
        failures.add(op + " -> " + r.status() + " Cache-Control " + r.header("Cache-Control"));
      }
    }
    assertThat(failures).isEmpty();
    assertThat(api.get("/v1/nothing-here", null).header("Cache-Control")).isEqualTo("no-store");
    assertThat(api.get("/docs/swagger-ui.css", null).header("Cache-Control")).isEqualTo("public, max-age=86400");
    assertThat(api.get("/.well-known/jwks.json", null).header("Cache-Control")).isEqualTo("public, max-age=300");
    assertThat(api.get("/openapi.yaml", null).header("Cache-Control")).isEqualTo("no-cache");
    assertThat(api.get("/health/ready", null).header("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void aGetNamingTheCurrentETagInIfNoneMatchAnswers304AndAStaleOneTheRepresentation() {
    String token = clinic.token(clinic.desk);
    JsonObject patient = clinic.patient("Conditional", "Connie");
    String id = patient.getString("id");
    String appointment = clinic.appointment(id).getString("id");
    List<String> paths = List.of("/v1/patients/" + id, "/v1/appointments/" + appointment,
        "/v1/practitioners/" + clinic.practitionerId, "/v1/tenants/" + clinic.tenant.id());
    for (String path : paths) {
      String etag = expect(api.get(path, clinic.token(clinic.admin)), 200).header("ETag");
      assertThat(etag).as(path).isNotNull();
      Api.Response notModified = expect(api.send("GET", path, clinic.token(clinic.admin), null,
          Map.of("If-None-Match", "\"999\", " + etag)), 304);
      assertThat(notModified.body()).isEmpty();
      assertThat(notModified.header("ETag")).isEqualTo(etag);
      assertThat(notModified.header("Cache-Control")).isEqualTo("no-store");
      expect(api.send("GET", path, clinic.token(clinic.admin), null, Map.of("If-None-Match", "W/" + etag)), 304);
      expect(api.send("GET", path, clinic.token(clinic.admin), null, Map.of("If-None-Match", "*")), 304);
    }
    expect(api.patch("/v1/patients/" + id, token, new JsonObject().put("name", new JsonObject()
        .put("family", "Conditional").put("given", "Constance")), "\"1\""), 200);
    Api.Response changed = expect(api.send("GET", "/v1/patients/" + id, token, null,
        Map.of("If-None-Match", "\"1\"")), 200);
    assertThat(changed.json().getJsonObject("name").getString("given")).isEqualTo("Constance");
    assertThat(changed.header("ETag")).isEqualTo("\"2\"");
  }

  @Test
  void jsonTheContractAndTheDocsAreCompressedForAClientThatAcceptsIt() {
    for (int i = 0; i < 8; i++) {
      clinic.patient("Compressible", "Number " + i);
    }
    String token = clinic.token(clinic.desk);
    String plain = expect(api.get("/v1/patients?limit=20", token), 200).body();
    Map<String, String> gzip = Map.of("Authorization", "Bearer " + token, "Accept-Encoding", "gzip");
    Api.Raw gzipped = api.raw("/v1/patients?limit=20", gzip);
    assertThat(gzipped.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(gzipped.body().length).isLessThan(plain.length());
    assertThat(new JsonObject(inflate(gzipped))).isEqualTo(new JsonObject(plain));
    Api.Raw deflated = api.raw("/v1/patients?limit=20", Map.of("Authorization", "Bearer " + token,
        "Accept-Encoding", "deflate"));
    assertThat(deflated.header("Content-Encoding")).isEqualTo("deflate");
    assertThat(new JsonObject(inflate(deflated))).isEqualTo(new JsonObject(plain));
    assertThat(api.raw("/v1/patients?limit=20", Map.of("Authorization", "Bearer " + token))
        .header("Content-Encoding")).isNull();

    Api.Raw contract = api.raw("/openapi.yaml", Map.of("Accept-Encoding", "gzip"));
    assertThat(contract.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(inflate(contract)).isEqualTo(api.get("/openapi.yaml", null).body());
    for (String asset : List.of("/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css")) {
      Api.Raw r = api.raw(asset, Map.of("Accept-Encoding", "gzip, deflate"));
      assertThat(r.header("Content-Encoding")).as(asset).isIn("gzip", "deflate");
      assertThat(values(r.headers(), "Vary")).as(asset).contains("Accept-Encoding");
    }
    assertThat(api.raw("/docs/favicon-32x32.png", Map.of("Accept-Encoding", "gzip")).header("Content-Encoding"))
        .isNull();
  }

  @Test
  void everyAnswerLabelledCompressedIsCompressedWhateverCameBeforeItOnTheConnection() throws Exception {
    // A fresh JDK client, as a generated Java client would use: it prefers HTTP/2 and asks for it in cleartext.
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    String token = clinic.token(clinic.desk);
    for (int i = 0; i < 8; i++) {
      clinic.patient("Labelled", "Number " + i);
    }
    List<String> failures = new ArrayList<>();
    for (String encoding : List.of("", "gzip", "", "gzip", "deflate", "gzip")) {
      java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + TestPlatform.get().app().port() + "/v1/patients?limit=20"))
          .header("Authorization", "Bearer " + token);
      if (!encoding.isEmpty()) {
        request.header("Accept-Encoding", encoding);
      }
      java.net.http.HttpResponse<byte[]> r = client.send(request.build(),
          java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      String label = r.headers().firstValue("Content-Encoding").orElse("");
      try {
        new JsonObject(inflate(new Api.Raw(r.statusCode(), r.headers().map(), r.body()), label));
      } catch (RuntimeException e) {
        failures.add("asked " + encoding + ", labelled " + label + " over " + r.version() + ": " + e);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void aRequestRefusedBeforeRoutingStillAnswersAProblemDocument() {
    Api.Response uri = api.get("/v1/patients?name=" + "a".repeat(9_000), clinic.token(clinic.desk));
    assertThat(uri.status()).isEqualTo(414);
    assertThat(uri.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(uri.json().getInteger("status")).isEqualTo(414);
    assertThat(uri.json().getString("requestId")).isEqualTo(uri.header("X-Request-Id"));
    assertThat(uri.body()).doesNotContain("aaaa");
    Api.Response headers = api.send("GET", "/v1/patients", null, null, Map.of("X-Padding", "b".repeat(9_000)));
    assertThat(headers.status()).isEqualTo(431);
    assertThat(headers.json().getString("title")).isEqualTo("Request header fields too large");
  }

  /** One operation of the contract, with a concrete path. */
  private record Op(String method, String template, String path, ContractRoutes.Op route) {

    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  private List<Op> operations() {
    List<Op> ops = new ArrayList<>();
    for (String template : routes.templates()) {
      String path = concrete(template);
      routes.find(path).orElseThrow().operations().forEach((method, op) ->
          ops.add(new Op(method.name(), template, path, op)));
    }
    return ops;
  }

  private static String concrete(String template) {
    return template.replace("{tenantId}", clinic.tenant.id().toString())
        .replace("{asset}", "swagger-ui.css")
        .replaceAll("\\{[A-Za-z]+}", UUID.randomUUID().toString());
  }

  /**
   * An RFC 9457 problem document; under /scim/, SCIM's own error document instead (RFC 7644 §3.12); under /fhir/, a
   * FHIR OperationOutcome.
   */
  private static boolean isProblem(Api.Response r) {
    String type = r.header("Content-Type");
    return "application/problem+json".equals(type) || "application/scim+json".equals(type)
        && "urn:ietf:params:scim:api:messages:2.0:Error".equals(r.json().getJsonArray("schemas").getString(0))
        || "application/fhir+json".equals(type) && "OperationOutcome".equals(r.json().getString("resourceType"));
  }

  private static Set<String> list(String header) {
    return header == null ? Set.of() : Arrays.stream(header.split(",")).map(String::trim)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<String> values(Api.Response r, String name) {
    return values(r.headers(), name);
  }

  private static List<String> values(Map<String, List<String>> headers, String name) {
    Map<String, List<String>> byName = new HashMap<>();
    headers.forEach((k, v) -> byName.computeIfAbsent(k.toLowerCase(), x -> new ArrayList<>()).addAll(v));
    return byName.getOrDefault(name.toLowerCase(), List.of()).stream()
        .flatMap(v -> Arrays.stream(v.split(","))).map(String::trim).toList();
  }

  private static String inflate(Api.Raw raw) {
    return inflate(raw, raw.header("Content-Encoding"));
  }

  private static String inflate(Api.Raw raw, String encoding) {
    if (encoding == null || encoding.isEmpty()) {
      return new String(raw.body(), StandardCharsets.UTF_8);
    }
    try (InputStream in = "gzip".equals(encoding) ? new GZIPInputStream(new ByteArrayInputStream(raw.body()))
        : new InflaterInputStream(new ByteArrayInputStream(raw.body()))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
