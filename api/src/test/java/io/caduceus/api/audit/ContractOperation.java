package io.caduceus.api.audit;

import io.caduceus.api.testing.ContractSamples;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One operation of the contract as written: its method, path template, model and parameters (the path item's and
 * its own, references resolved), and its {@code x-caduceus-audit} declaration as written.
 */
record ContractOperation(String id, String method, String template, JsonObject model, List<JsonObject> parameters) {

  private static final List<String> METHODS = List.of("get", "head", "post", "put", "patch", "delete");

  /** Every operation of the contract, in the order it lists them. */
  static List<ContractOperation> all(JsonObject contract) {
    JsonObject paths = contract.getJsonObject("paths");
    List<ContractOperation> ops = new ArrayList<>();
    for (String template : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(template);
      for (String method : METHODS) {
        JsonObject op = item.getJsonObject(method);
        if (op != null) {
          List<JsonObject> parameters = new ArrayList<>();
          for (JsonArray list : List.of(item.getJsonArray("parameters", new JsonArray()),
              op.getJsonArray("parameters", new JsonArray()))) {
            list.forEach(p -> parameters.add(ContractSamples.resolved(contract, (JsonObject) p)));
          }
          ops.add(new ContractOperation(op.getString("operationId"), method.toUpperCase(), template, op,
              List.copyOf(parameters)));
        }
      }
    }
    return ops;
  }

  /** The {@code x-caduceus-audit} value as written: a JSON object, the string {@code none}, or null. */
  Object declared() {
    return model.getValue(AuditDeclaration.EXTENSION);
  }

  /** The declaration when it is an object (action and object), else empty. */
  Optional<JsonObject> declaration() {
    return declared() instanceof JsonObject json ? Optional.of(json) : Optional.empty();
  }

  /** The parameters of one location ({@code path}, {@code query}, {@code header}). */
  List<JsonObject> parameters(String in) {
    return parameters.stream().filter(p -> in.equals(p.getString("in"))).toList();
  }

  /** The path parameter of that name, if the operation has one. */
  Optional<JsonObject> pathParameter(String name) {
    return parameters("path").stream().filter(p -> name.equals(p.getString("name"))).findFirst();
  }

  /** The JSON schema of the request body, if the operation takes a JSON body. */
  Optional<JsonObject> jsonBody() {
    return Optional.ofNullable(model.getJsonObject("requestBody")).map(b -> b.getJsonObject("content"))
        .map(c -> c.getJsonObject("application/json")).map(j -> j.getJsonObject("schema"));
  }

  /** Whether a request needs a bearer token. */
  boolean secured(JsonObject contract) {
    JsonArray security = model.getJsonArray("security", contract.getJsonArray("security", new JsonArray()));
    return !security.isEmpty();
  }

  /** What {@code x-tenant-scope} says: {@code platform}, {@code path} or null. */
  String tenantScope() {
    return model.getString("x-tenant-scope");
  }
}
