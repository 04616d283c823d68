package io.caduceus.api.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIContractException;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.impl.OpenAPIContractImpl;
import io.vertx.openapi.impl.OpenAPIFormatValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP contract, {@code openapi.yaml}, as the router is built from it.
 *
 * <p>The contract states the truth: errors are {@code application/problem+json}, the contract itself is YAML and
 * the docs are HTML. vertx-openapi 5.0.8 refuses to load a contract whose <em>responses</em> use media types
 * outside its short list ({@code application/json}, {@code application/hal+json}, {@code vnd.*+json},
 * {@code text/plain}, {@code application/octet-stream}, {@code multipart/form-data}), although it never validates
 * responses. So the router gets a copy from which those response media types are removed; request bodies are
 * left untouched and still fully validated. Clients and linters see the original.
 */
public final class Contract {

  /** The classpath location of the contract (copied from the repository root at build time). */
  public static final String RESOURCE = "/openapi.yaml";

  private static final Logger LOG = LoggerFactory.getLogger(Contract.class);
  /** The base URI vertx-openapi 5.0.8 gives a contract's schemas ({@code OpenAPIContract.from}). */
  private static final String BASE_URI = "app://";

  private final String yaml;
  private final String version;
  private final JsonObject document;

  private Contract(String yaml, String version, JsonObject document) {
    this.yaml = yaml;
    this.version = version;
    this.document = document;
  }

  /**
   * Reads the bundled contract: its JSON form made at build time ({@link ContractJson}) when that was made from this
   * very YAML, else the YAML itself (a second of a cold start).
   */
  public static Contract load() {
    byte[] bytes = resource(RESOURCE);
    String yaml = new String(bytes, StandardCharsets.UTF_8);
    byte[] json = Contract.class.getResource(ContractJson.RESOURCE) == null ? null : resource(ContractJson.RESOURCE);
    JsonObject form = json == null ? null : ContractJson.form(json, bytes);
    if (form == null) {
      LOG.info("openapi.json is {}: parsing openapi.yaml", json == null ? "missing" : "stale");
      return new Contract(yaml, ContractJson.sha256(bytes), ContractJson.parse(yaml));
    }
    return new Contract(yaml, form.getString("sha256"), form.getJsonObject("document"));
  }

  private static byte[] resource(String name) {
    try (InputStream in = Contract.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name.substring(1) + " is not on the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The contract as written (YAML). */
  public Buffer yaml() {
    return Buffer.buffer(yaml);
  }

  /**
   * The contract as published by a server: as written, except that its {@code servers} list names that server's
   * base URL. The URL is written as a JSON string, which YAML reads as a double-quoted scalar, whatever it holds.
   */
  public Buffer yaml(String serverUrl) {
    Matcher servers = SERVERS.matcher(yaml);
    if (!servers.find()) {
      throw new IllegalStateException("openapi.yaml has no top-level servers list");
    }
    String replacement = "servers:\n  - url: " + Json.encode(serverUrl) + "\n    description: This server.\n";
    return Buffer.buffer(yaml.substring(0, servers.start()) + replacement + yaml.substring(servers.end()));
  }

  /** The top-level {@code servers:} block: its line and every indented line after it. */
  private static final Pattern SERVERS = Pattern.compile("(?m)^servers:[ \\t]*\\R(?:[ \\t]+.*\\R)*");

  /** The SHA-256 of the contract as written (hex): its version, which changes with every edit of the YAML. */
  public String version() {
    return version;
  }

  /** The parsed contract, unmodified: a copy of its own for the caller. */
  public JsonObject document() {
    return document.copy();
  }

  /** The contract's paths and operations, for matching requests to them (read from the document, not a copy). */
  public ContractRoutes routes() {
    return ContractRoutes.of(document);
  }

  /** A copy of the operation with this {@code operationId}, as written in the contract, or null if there is none. */
  public JsonObject operation(String operationId) {
    JsonObject paths = document.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (item.getValue(method) instanceof JsonObject op && operationId.equals(op.getString("operationId"))) {
          return op.copy();
        }
      }
    }
    return null;
  }

  /**
   * Builds the vertx-openapi model from the router-compatible copy, with its validators cached. It does what
   * {@code OpenAPIContract.from} does (a schema repository, the contract's references resolved into it, the model)
   * but for checking the copy against the OpenAPI meta-schema, which the build does instead ({@link ContractJson},
   * and {@code ContractTest}): the bundled contract cannot change after it. Without that check the repository
   * needs neither JSON Schema's meta-schemas nor OpenAPI's schema files (the contract declares no {@code $schema},
   * {@code $id} or {@code $dynamicRef} that could reach them), so it is made empty, with the same options and
   * format validator; loading and resolving those files, and the check, were half of the model's time at every
   * start.
   */
  public Future<OpenAPIContract> forRouter(Vertx vertx) {
    JsonObject copy = routerCopy();
    OpenAPIVersion version = OpenAPIVersion.fromContract(copy);
    SchemaRepository repository = SchemaRepository.create(new JsonSchemaOptions()
        .setDraft(version == OpenAPIVersion.V3_0 ? Draft.DRAFT4 : Draft.DRAFT202012)
        .setBaseUri(BASE_URI)
        .setOutputFormat(OutputFormat.Basic), new OpenAPIFormatValidator());
    return version.resolve(vertx, repository, copy)
        .compose(resolved -> vertx.executeBlocking(
            () -> (OpenAPIContract) new OpenAPIContractImpl(resolved, version, repository), false))
        .recover(e -> Future.failedFuture(e instanceof OpenAPIContractException ? e
            : OpenAPIContractException.createInvalidContract("Found issue in specification for reference: "
                + e.getMessage(), e)))
        .map(ValidatorCache::over);
  }

  /**
   * The contract with the media types vertx-openapi 5.0.8 cannot load removed: {@code application/problem+json}
   * responses, and request bodies such as Twilio's {@code application/x-www-form-urlencoded} webhooks (5.0.8 has
   * no form parser and refuses the whole contract). A request body left with no loadable type is dropped from the
   * router's copy only; its handler reads and verifies the raw body itself, and the published contract keeps it.
   *
   * <p>The conditional headers ({@code If-Match}, {@code If-None-Match}) go too: 5.0.8 reads a header value as JSON,
   * so it refuses a weak ETag ({@code W/"3"}) or a list ({@code "3", "4"}) with 400 before any handler sees them.
   * So does SCIM's {@code filter} query parameter ({@code userName eq "a@b.org"}), for the same reason; the SCIM
   * handlers read it raw and bound its length themselves. The FHIR facade's query parameters go too: FHIR search
   * has its own grammar (modifiers in the name, {@code name:exact}; prefixes in the value, {@code ge2020}) that
   * {@code FhirQuery} reads; the published contract documents them.
   * {@link ETags#preconditions} enforces a required If-Match from the published contract instead (428), and
   * {@link ETags} parses both.
   */
  JsonObject routerCopy() {
    return routerCopy(document);
  }

  /** The router-compatible copy of a contract document (see {@link #routerCopy()}). */
  static JsonObject routerCopy(JsonObject document) {
    JsonObject copy = document.copy();
    JsonObject components = copy.getJsonObject("components", new JsonObject());
    JsonObject responses = components.getJsonObject("responses");
    if (responses != null) {
      responses.forEach(e -> stripUnsupported((JsonObject) e.getValue()));
    }
    JsonObject parameters = components.getJsonObject("parameters", new JsonObject());
    JsonObject paths = copy.getJsonObject("paths", new JsonObject());
    for (Map.Entry<String, Object> path : paths) {
      for (Map.Entry<String, Object> op : (JsonObject) path.getValue()) {
        if (op.getValue() instanceof JsonObject operation && operation.getJsonArray("parameters") != null) {
          operation.getJsonArray("parameters").getList().removeIf(p -> isConditional(p, parameters)
              || path.getKey().startsWith("/scim/") && isNamed(p, parameters, "query", "filter")
              || path.getKey().startsWith("/fhir/") && isIn(p, parameters, "query"));
        }
        if (op.getValue() instanceof JsonObject operation && operation.containsKey("responses")) {
          operation.getJsonObject("responses").forEach(r -> stripUnsupported((JsonObject) r.getValue()));
        }
        if (op.getValue() instanceof JsonObject operation && operation.getJsonObject("requestBody") != null) {
          stripUnsupported(operation.getJsonObject("requestBody"));
          if (!operation.getJsonObject("requestBody").containsKey("content")) {
            operation.remove("requestBody");
          }
        }
      }
    }
    return copy;
  }

  /** Whether a parameter (inline or a reference to a shared one) is the If-Match or If-None-Match header. */
  @SuppressWarnings("unchecked")
  static boolean isConditional(Object parameter, JsonObject shared) {
    JsonObject p = parameter instanceof JsonObject json ? json : new JsonObject((Map<String, Object>) parameter);
    String ref = p.getString("$ref");
    JsonObject resolved = ref == null ? p : shared.getJsonObject(ref.substring(ref.lastIndexOf('/') + 1), p);
    String name = resolved.getString("name", "");
    return "header".equals(resolved.getString("in")) && (name.equalsIgnoreCase("If-Match")
        || name.equalsIgnoreCase("If-None-Match"));
  }

  /** Whether a parameter (inline or a reference to a shared one) is in {@code in} (query, header, ...). */
  @SuppressWarnings("unchecked")
  static boolean isIn(Object parameter, JsonObject shared, String in) {
    JsonObject p = parameter instanceof JsonObject json ? json : new JsonObject((Map<String, Object>) parameter);
    String ref = p.getString("$ref");
    JsonObject resolved = ref == null ? p : shared.getJsonObject(ref.substring(ref.lastIndexOf('/') + 1), p);
    return in.equals(resolved.getString("in"));
  }

  /** Whether a parameter (inline or a reference to a shared one) is the one named {@code name} in {@code in}. */
  @SuppressWarnings("unchecked")
  static boolean isNamed(Object parameter, JsonObject shared, String in, String name) {
    JsonObject p = parameter instanceof JsonObject json ? json : new JsonObject((Map<String, Object>) parameter);
    String ref = p.getString("$ref");
    JsonObject resolved = ref == null ? p : shared.getJsonObject(ref.substring(ref.lastIndexOf('/') + 1), p);
    return in.equals(resolved.getString("in")) && name.equals(resolved.getString("name"));
  }

  private static void stripUnsupported(JsonObject response) {
    JsonObject content = response.getJsonObject("content");
    if (content == null) {
      return;
    }
    content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
    if (content.isEmpty()) {
      response.remove("content");
    }
  }
}
