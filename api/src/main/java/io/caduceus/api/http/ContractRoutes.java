package io.caduceus.api.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The contract's paths as HTTP sees them: which methods a request path takes, and for each operation the media
 * types it reads and answers in. Read from the contract as published (not the router's copy, which drops the
 * media types vertx-openapi cannot load), so a form-encoded webhook or a YAML answer counts as what it is.
 */
public final class ContractRoutes {

  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

  /** Whether an operation takes {@code If-Match}, and whether it must. */
  public enum IfMatch { NONE, OPTIONAL, REQUIRED }

  /**
   * One operation: its request body's media types (empty if it takes none), its successful answers', and its
   * {@code If-Match}.
   */
  public record Op(String operationId, HttpMethod method, Set<String> consumes, Set<String> produces, IfMatch ifMatch) {
  }

  /** One path of the contract, its request-path pattern and its operations by method. */
  public record Route(String template, Map<HttpMethod, Op> operations) {

    /** The methods this path answers, OPTIONS included, as an {@code Allow} header value. */
    public String allow() {
      Set<String> names = new TreeSet<>(operations.keySet().stream().map(HttpMethod::name).toList());
      names.add("OPTIONS");
      return String.join(", ", names);
    }
  }

  private record Entry(List<Boolean> literal, Route route) {
  }

  /**
   * The templates as a tree of segments: a literal child per literal segment, one child for a parameter segment,
   * the route where a template ends. A request path is matched segment by segment, a literal before a parameter
   * (as the router does, /v1/patients/search before /v1/patients/{id}), with no regular expression and nothing
   * allocated but the segments: this runs several times on every request.
   */
  private static final class Node {
    final Map<String, Node> literals = new HashMap<>();
    Node parameter;
    Route route;

    Node child(String segment) {
      if (isParameter(segment)) {
        return parameter == null ? parameter = new Node() : parameter;
      }
      return literals.computeIfAbsent(segment, s -> new Node());
    }
  }

  private final List<Entry> entries;
  private final Node root = new Node();

  private ContractRoutes(List<Entry> entries) {
    this.entries = entries;
    for (Entry entry : entries) {
      Node node = root;
      for (String segment : entry.route().template().substring(1).split("/", -1)) {
        node = node.child(segment);
      }
      if (node.route == null) {
        node.route = entry.route();
      }
    }
  }

  /** The routes of a contract document. */
  public static ContractRoutes of(JsonObject contract) {
    List<Entry> entries = new ArrayList<>();
    JsonObject paths = contract.getJsonObject("paths", new JsonObject());
    JsonObject components = contract.getJsonObject("components", new JsonObject());
    JsonObject shared = components.getJsonObject("responses", new JsonObject());
    JsonObject parameters = components.getJsonObject("parameters", new JsonObject());
    for (String template : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(template);
      Map<HttpMethod, Op> ops = new LinkedHashMap<>();
      for (String method : METHODS) {
        JsonObject op = item.getJsonObject(method);
        if (op != null) {
          HttpMethod m = HttpMethod.valueOf(method.toUpperCase(Locale.ROOT));
          ops.put(m, new Op(op.getString("operationId"), m, consumes(op), produces(op, shared),
              ifMatch(op, parameters)));
        }
      }
      entries.add(new Entry(literals(template), new Route(template, Map.copyOf(ops))));
    }
    // Where templates overlap (/v1/patients/search and /v1/patients/{id}), a literal segment wins, as in routing.
    entries.sort(Comparator.comparing(Entry::literal, ContractRoutes::moreLiteralFirst));
    return new ContractRoutes(List.copyOf(entries));
  }

  /** The contract path a request path falls under, if any. */
  public Optional<Route> find(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/') {
      return Optional.empty();
    }
    return Optional.ofNullable(match(root, path, 1));
  }

  /** The route under {@code node} for the path's segments from {@code start} on; null if none. */
  private static Route match(Node node, String path, int start) {
    int end = path.indexOf('/', start);
    String segment = end < 0 ? path.substring(start) : path.substring(start, end);
    Node literal = node.literals.get(segment);
    Route found = literal == null ? null : end < 0 ? literal.route : match(literal, path, end + 1);
    if (found == null && node.parameter != null && !segment.isEmpty()) {
      found = end < 0 ? node.parameter.route : match(node.parameter, path, end + 1);
    }
    return found;
  }

  /** The methods the contract answers at a request path; empty for a path it does not have. */
  public Optional<Set<HttpMethod>> methods(String path) {
    return find(path).map(route -> route.operations().keySet());
  }

  /** The operation a request names, if the contract has it. */
  public Optional<Op> find(String path, HttpMethod method) {
    return find(path).map(route -> route.operations().get(method));
  }

  /** An operation by its id. */
  public Optional<Op> operation(String operationId) {
    return entries.stream().flatMap(e -> e.route().operations().values().stream())
        .filter(op -> op.operationId().equals(operationId)).findFirst();
  }

  /** Every path template, for tests that walk the contract. */
  public List<String> templates() {
    return entries.stream().map(e -> e.route().template()).collect(Collectors.toList());
  }

  private static IfMatch ifMatch(JsonObject op, JsonObject shared) {
    for (Object parameter : op.getJsonArray("parameters", new JsonArray())) {
      JsonObject p = (JsonObject) parameter;
      JsonObject resolved = p.containsKey("$ref") ? shared.getJsonObject(lastSegment(p.getString("$ref")), p) : p;
      if ("header".equals(resolved.getString("in")) && "If-Match".equalsIgnoreCase(resolved.getString("name"))) {
        return resolved.getBoolean("required", false) ? IfMatch.REQUIRED : IfMatch.OPTIONAL;
      }
    }
    return IfMatch.NONE;
  }

  private static Set<String> consumes(JsonObject op) {
    JsonObject body = op.getJsonObject("requestBody");
    return body == null ? Set.of() : Set.copyOf(body.getJsonObject("content", new JsonObject()).fieldNames());
  }

  private static Set<String> produces(JsonObject op, JsonObject shared) {
    Set<String> types = new TreeSet<>();
    op.getJsonObject("responses", new JsonObject()).forEach(r -> {
      if (r.getKey().startsWith("2") && r.getValue() instanceof JsonObject response) {
        JsonObject resolved = response.containsKey("$ref")
            ? shared.getJsonObject(lastSegment(response.getString("$ref")), new JsonObject()) : response;
        types.addAll(resolved.getJsonObject("content", new JsonObject()).fieldNames());
      }
    });
    return Set.copyOf(types);
  }

  private static String lastSegment(String ref) {
    return ref.substring(ref.lastIndexOf('/') + 1);
  }

  private static List<Boolean> literals(String template) {
    List<Boolean> literal = new ArrayList<>();
    for (String segment : template.substring(1).split("/", -1)) {
      literal.add(!isParameter(segment));
    }
    return literal;
  }

  private static boolean isParameter(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }

  private static int moreLiteralFirst(List<Boolean> a, List<Boolean> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      if (!a.get(i).equals(b.get(i))) {
        return a.get(i) ? -1 : 1;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
