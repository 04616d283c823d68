package io.caduceus.api.audit;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.http.Contract;
import io.caduceus.api.http.Operations;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ContractSamples;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.DatabaseEndpoint;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.openapi.contract.OpenAPIContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract declares each operation's audit record ({@code x-caduceus-audit}) and the server keeps to it: every
 * operation declares a record or {@code none}, no operation on PHI declares {@code none},
 * {@link Operations#requireAllDeclared} names every operation a contract leaves undeclared, and a request to each
 * declared operation writes exactly the declared row.
 */
@ExtendWith(VertxExtension.class)
class AuditContractTest {

  private static final Pattern ACTION = Pattern.compile("^[a-z_]+(\\.[a-z_]+)+$");
  private static final Pattern OBJECT = Pattern.compile("^[a-z_]+$");
  private static final Set<String> KEYS = Set.of("action", "object", "id", "patient", "partner");

  /** Paths of patients' records, of what is done for them, and of the messages sent to them. */
  private static final List<String> PHI_PATHS = List.of("/v1/patients", "/v1/appointments", "/v1/encounters",
      "/v1/lab-orders", "/v1/prescriptions", "/v1/claims", "/v1/coverages", "/v1/charges", "/v1/messages",
      "/v1/dead-letters", "/v1/portal/records", "/v1/portal/access-log",
      "/v1/portal/secure-messages", "/v1/portal/notification-preferences", "/v1/portal/surveys/{invitationId}/answers",
      "/v1/telehealth/sessions", "/v1/telehealth/waiting-room");

  /** Declared operations no request of this test can reach the record of, and why. */
  private static final Map<String, String> UNREACHABLE = Map.of(
      "acceptInvitation", "its only credential is the code mailed to the invitee, and an unknown code names no"
          + " tenant whose trail could hold a row",
      "exchangeGuestPass", "its only credential is the code a clinician gave the guest, and an unknown code names no"
          + " tenant whose trail could hold a row (TelehealthGuestTest checks the row of a real exchange)",
      "twilioStatusCallback", "Twilio signs each callback with the tenant's own auth token; an unsigned one is"
          + " refused before any tenant is known",
      "twilioInbound", "Twilio signs each callback with the tenant's own auth token; an unsigned one is refused"
          + " before any tenant is known",
      "verifyMfaLogin", "its only credential is the ticket of a password login, and an unknown ticket names no user"
          + " or tenant whose trail could hold a row (MfaTest proves the rows of a real second step)",
      "ssoCallback", "its only credential is the state of a login started at the tenant's identity provider, and an"
          + " unknown state names no person or tenant whose trail could hold a row (SsoTest proves the rows of real"
          + " logins)",
      "exchangeSsoCode", "its only credential is the one-time code an SSO callback gave an app, and an unknown code"
          + " names no person or tenant whose trail could hold a row (SsoTest proves the row of a real exchange)");

  /** A role name no role has: a member holding only it is granted no permission. */
  private static final String NO_PERMISSIONS = "no_permissions";

  private final JsonObject contract = Contract.load().document();

  @Test
  void everyOperationDeclaresItsAuditRecordAndNoOperationOnPhiDeclaresNone() {
    List<String> failures = new ArrayList<>();
    for (ContractOperation op : ContractOperation.all(contract)) {
      Object declared = op.declared();
      if ("none".equals(declared)) {
        if (PHI_PATHS.stream().anyMatch(op.template()::startsWith)) {
          failures.add(op.id() + ": " + op.template() + " concerns PHI but declares none");
        }
      } else if (declared instanceof JsonObject declaration) {
        failures.addAll(malformed(op, declaration));
      } else {
        failures.add(op.id() + ": declares no " + AuditDeclaration.EXTENSION + " (an action and an object, or none)");
      }
    }
    assertThat(failures).as("operations whose audit declaration is missing or wrong").isEmpty();
  }

  private List<String> malformed(ContractOperation op, JsonObject declaration) {
    List<String> failures = new ArrayList<>();
    Object action = declaration.getValue("action");
    List<Object> actions = action instanceof JsonArray list ? list.getList() : action == null ? List.of()
        : List.of(action);
    if (actions.isEmpty()) {
      failures.add(op.id() + ": declares no action");
    }
    actions.stream().filter(a -> !(a instanceof String s && ACTION.matcher(s).matches()))
        .forEach(a -> failures.add(op.id() + ": action " + a + " is not noun.verb in lower case"));
    String object = declaration.getString("object");
    if (object == null || !OBJECT.matcher(object).matches()) {
      failures.add(op.id() + ": object " + object + " is not a lower-case noun");
    }
    declaration.fieldNames().stream().filter(k -> !KEYS.contains(k))
        .forEach(k -> failures.add(op.id() + ": unknown key " + k));
    for (String key : List.of("id", "patient", "partner")) {
      String name = declaration.getString(key);
      if (name != null && op.pathParameter(name)
          .map(p -> ContractSamples.resolved(contract, p.getJsonObject("schema")))
          .filter(schema -> "uuid".equals(schema.getString("format"))).isEmpty()) {
        failures.add(op.id() + ": " + key + " names " + name + ", which is no UUID path parameter");
      }
    }
    return failures;
  }

  @Test
  void requireAllDeclaredNamesEveryOperationThatLeavesItsAuditUndeclared(Vertx vertx, VertxTestContext test) {
    JsonObject declared = new JsonObject().put("action", "thing.read").put("object", "thing");
    JsonObject tiny = tinyContract(Map.of("declared", declared, "exempt", "none", "forgotten", "",
        "halfDeclared", new JsonObject().put("action", "thing.read")));
    OpenAPIContract.from(vertx, tiny).onComplete(test.succeeding(openapi -> test.verify(() -> {
      Operations ops = new Operations(RouterBuilder.create(vertx, openapi), rc -> rc.next(), null, null);
      assertThatThrownBy(ops::requireAllDeclared).hasMessageContaining(AuditDeclaration.EXTENSION)
          .hasMessageContaining("forgotten").hasMessageContaining("halfDeclared")
          .hasMessageNotContaining("exempt").hasMessageNotContaining("operation declared ");
      OpenAPIContract.from(vertx, tinyContract(Map.of("declared", declared, "exempt", "none")))
          .onComplete(test.succeeding(complete -> test.verify(() -> {
            new Operations(RouterBuilder.create(vertx, complete), rc -> rc.next(), null, null).requireAllDeclared();
            test.completeNow();
          })));
    })));
  }

  /** A contract of one GET per entry, declaring the entry's value ({@code ""}: no declaration at all). */
  private static JsonObject tinyContract(Map<String, Object> declarations) {
    JsonObject paths = new JsonObject();
    declarations.forEach((id, declaration) -> {
      JsonObject op = new JsonObject().put("operationId", id)
          .put("responses", new JsonObject().put("200", new JsonObject().put("description", "ok")));
      if (!"".equals(declaration)) {
        op.put(AuditDeclaration.EXTENSION, declaration);
      }
      paths.put("/" + id, new JsonObject().put("get", op));
    });
    return new JsonObject().put("openapi", "3.1.0")
        .put("info", new JsonObject().put("title", "tiny").put("version", "1")).put("paths", paths);
  }

  private static final String FHIR_JSON = "application/fhir+json";

  @Test
  void aRequestToEachDeclaredOperationWritesExactlyTheDeclaredRow() {
    TestPlatform platform = TestPlatform.get();
    Clinic clinic = Clinic.in("us");
    TestUser inClinic = platform.user(clinic.tenant, NO_PERMISSIONS);
    TestUser inPlatform = platform.user(platform.platformOwner().tenant(), NO_PERMISSIONS);
    AuditRows rows = new AuditRows(platform.superuser("us"));
    ProbeBodies bodies = new ProbeBodies(platform.api(), clinic.token(clinic.admin));
    // The SCIM operations take the tenant's SCIM token, not an access token: the token is all their authority.
    String scimToken = platform.api().post("/v1/tenants/" + clinic.tenant.id() + "/scim-tokens",
        clinic.token(clinic.admin), new JsonObject().put("name", "Audit probe")).json().getString("token");
    List<String> failures = new ArrayList<>();
    List<String> exercised = new ArrayList<>();
    for (ContractOperation op : ContractOperation.all(contract)) {
      if (op.declaration().isEmpty() || UNREACHABLE.containsKey(op.id())) {
        continue;
      }
      TestUser caller = "platform".equals(op.tenantScope()) ? inPlatform : inClinic;
      try {
        String failure = sendAndCheck(platform, op, op.secured(contract) ? caller : null,
            isScim(op) ? scimToken : null, bodies, rows);
        if (failure != null) {
          failures.add(failure);
        }
      } catch (RuntimeException e) {
        failures.add(op.id() + ": no request could be built: " + e.getMessage());
      }
      exercised.add(op.id());
    }
    assertThat(failures).as("operations whose request did not write exactly the declared row").isEmpty();
    assertThat(exercised).contains("createPatient", "searchPatients", "getPatient", "updatePatient", "deletePatient");
  }

  /**
   * Sends one request to the operation, as a member without permissions where it takes a token (so a refusal is
   * the least it meets), and returns what is wrong with the audit rows its request id wrote, or null.
   */
  private String sendAndCheck(TestPlatform platform, ContractOperation op, TestUser caller, String scimToken,
                              ProbeBodies bodies, AuditRows rows) {
    Map<String, String> pathValues = new HashMap<>();
    String path = op.template();
    for (JsonObject parameter : op.parameters("path")) {
      String name = parameter.getString("name");
      String value = "tenantId".equals(name) && caller != null ? caller.tenant().id().toString()
          : sample(parameter.getJsonObject("schema"), name);
      pathValues.put(name, value);
      path = path.replace("{" + name + "}", value);
    }
    String separator = "?";
    for (JsonObject parameter : op.parameters("query")) {
      if (parameter.getBoolean("required", false)) {
        path += separator + parameter.getString("name") + "="
            + URLEncoder.encode(sample(parameter.getJsonObject("schema"), parameter.getString("name")),
            StandardCharsets.UTF_8);
        separator = "&";
      }
    }
    String requestId = "audit-contract-" + UUID.randomUUID();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Request-Id", requestId);
    op.parameters("header").stream().filter(h -> "If-Match".equals(h.getString("name")) && h.getBoolean("required",
        false)).findFirst().ifPresent(h -> headers.put("If-Match", "\"1\""));
    String token = scimToken != null ? scimToken : caller == null ? null : platform.token(caller);
    String body = bodies.of(op.id()).map(JsonObject::encode).orElseGet(() -> body(op));
    if (fhirBody(op)) {
      headers.put("Content-Type", FHIR_JSON);
    }
    Api.Response response = platform.api().send(op.method(), path, token, body, headers);
    return verdict(op, op.method() + " " + path + " -> " + response.status(), response.status(),
        rows.of(requestId), pathValues);
  }

  private static boolean isScim(ContractOperation op) {
    return op.model().getJsonArray("security", new JsonArray()).stream()
        .anyMatch(r -> r instanceof JsonObject req && req.containsKey("scimBearer"));
  }

  /** What is wrong with the rows one request wrote, given its answer, or null when they are exactly as declared. */
  private static String verdict(ContractOperation op, String request, int status, List<Map<String, Object>> written,
                                Map<String, String> pathValues) {
    JsonObject declared = op.declaration().orElseThrow();
    if (written.size() != 1) {
      return op.id() + ": " + request + " wrote " + written.size() + " audit rows, not one: " + written;
    }
    Map<String, Object> row = written.get(0);
    Object action = declared.getValue("action");
    List<Object> actions = action instanceof JsonArray list ? list.getList() : List.of(action);
    // A 401 here is a refused credential inside the operation (a wrong second factor, a step-up not made): denied.
    String expectedOutcome = status == 403 || status == 401 ? "denied" : status == 404 ? "not_found"
        : status >= 200 && status < 300 ? "success" : "(no row for a " + status + ")";
    List<String> wrong = new ArrayList<>();
    if (!actions.contains(row.get("action"))) {
      wrong.add("action " + row.get("action") + " is not one of " + actions);
    }
    if (!declared.getString("object").equals(row.get("resource_type"))) {
      wrong.add("resource type " + row.get("resource_type") + " is not " + declared.getString("object"));
    }
    if (!expectedOutcome.equals(row.get("outcome"))) {
      wrong.add("outcome " + row.get("outcome") + " is not " + expectedOutcome);
    }
    String id = declared.getString("id");
    if (id != null && !pathValues.get(id).equals(row.get("resource_id"))) {
      wrong.add("resource id " + row.get("resource_id") + " is not the path's " + id + " " + pathValues.get(id));
    }
    String patient = declared.getString("patient");
    if (patient != null && !String.valueOf(row.get("patient_ids")).contains(pathValues.get(patient))) {
      wrong.add("patients " + row.get("patient_ids") + " do not name the path's " + patient);
    }
    String partner = declared.getString("partner");
    if (partner != null && !pathValues.get(partner).equals(String.valueOf(row.get("partner_tenant")))) {
      wrong.add("partner " + row.get("partner_tenant") + " is not the path's " + partner + " " + pathValues.get(partner));
    }
    return wrong.isEmpty() ? null : op.id() + ": " + request + " wrote " + row + ": " + String.join("; ", wrong);
  }

  /** Whether the operation reads a FHIR resource ({@code application/fhir+json}) rather than JSON. */
  private static boolean fhirBody(ContractOperation op) {
    JsonObject requestBody = op.model().getJsonObject("requestBody");
    return requestBody != null && requestBody.getJsonObject("content", new JsonObject()).containsKey(FHIR_JSON);
  }

  /**
   * A body its schema accepts, or null for an operation that takes none. A FHIR operation
   * ({@code fhir<Type>Create}, {@code fhir<Type>Update}) gets a bare resource of its type: FHIR's structure is not
   * in the contract, and the bare resource reaches the handler, whose refusal is audited like any other.
   */
  private String body(ContractOperation op) {
    JsonObject requestBody = op.model().getJsonObject("requestBody");
    if (requestBody == null) {
      return null;
    }
    if (fhirBody(op)) {
      return new JsonObject().put("resourceType", op.id().substring("fhir".length())
          .replaceAll("(Create|Update)$", "")).encode();
    }
    return op.jsonBody().flatMap(schema -> ContractSamples.of(contract, schema))
        .map(sample -> sample.body() instanceof JsonObject o ? o.encode() : ((JsonArray) sample.body()).encode())
        .orElseThrow(() -> new IllegalStateException("no sample of its request body "
            + requestBody.getJsonObject("content", new JsonObject()).fieldNames()));
  }

  /** A value a parameter's schema accepts: a new UUID for an id, else the contract's sample. */
  private String sample(JsonObject schema, String name) {
    if (ProbeBodies.PATH_VALUES.containsKey(name)) {
      return ProbeBodies.PATH_VALUES.get(name);
    }
    JsonObject resolved = ContractSamples.resolved(contract, schema);
    if ("uuid".equals(resolved.getString("format"))) {
      return UUID.randomUUID().toString();
    }
    return ContractSamples.of(contract, resolved).map(s -> String.valueOf(s.body()).replace(ContractSamples.FREE, "x"))
        .orElseThrow(() -> new IllegalStateException("no sample of parameter " + name));
  }

  /** The audit rows of one request, in every schema of a region's database that holds a trail. */
  private record AuditRows(DatabaseEndpoint database) {

    List<Map<String, Object>> of(String requestId) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Map<String, Object> schema : Sql.query(database, "SELECT table_schema AS name FROM information_schema.tables"
          + " WHERE table_name = 'audit_event'")) {
        rows.addAll(Sql.query(database, "SELECT action, resource_type, resource_id::text AS resource_id,"
            + " patient_ids::text AS patient_ids, outcome, partner_tenant_id::text AS partner_tenant FROM \""
            + schema.get("name") + "\".audit_event"
            + " WHERE request_id = ?", requestId));
      }
      return rows;
    }
  }
}
