package io.caduceus.api.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds, from the contract alone, a request body that its schema accepts, with {@link #FREE} in every free-text
 * string (one with no pattern, format or enum), and remembers where those strings are. Schemas it cannot satisfy
 * without knowing the domain (a required string with a pattern and no example) give no sample.
 */
public final class ContractSamples {

  /** What every free-text string of a sample starts with; tests replace it with the text under test. */
  public static final String FREE = "free-text-marker";

  private final JsonObject contract;
  private final List<String> freePointers = new ArrayList<>();

  private ContractSamples(JsonObject contract) {
    this.contract = contract;
  }

  /** A sample of {@code schema}, and the JSON pointers of its free-text strings. */
  public record Sample(Object body, List<String> freePointers) {
  }

  /** A sample body for {@code schema} of {@code contract}, if one can be built. */
  public static Optional<Sample> of(JsonObject contract, JsonObject schema) {
    ContractSamples samples = new ContractSamples(contract);
    Object body = samples.value("", schema);
    return body == null ? Optional.empty() : Optional.of(new Sample(body, List.copyOf(samples.freePointers)));
  }

  private Object value(String pointer, JsonObject schema) {
    schema = resolved(contract, schema);
    if (schema.containsKey("const")) {
      return schema.getValue("const");
    }
    if (schema.containsKey("enum")) {
      return schema.getJsonArray("enum").getValue(0);
    }
    if (schema.containsKey("example")) {
      return schema.getValue("example");
    }
    JsonArray choices = schema.getJsonArray("oneOf", schema.getJsonArray("anyOf"));
    if (choices != null) {
      return value(pointer, choices.getJsonObject(0));
    }
    return switch (type(schema)) {
      case "object" -> object(pointer, schema);
      case "array" -> array(pointer, schema);
      case "string" -> string(pointer, schema);
      case "integer", "number" -> number(schema);
      case "boolean" -> true;
      default -> null;
    };
  }

  private JsonObject object(String pointer, JsonObject schema) {
    JsonObject out = new JsonObject();
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    JsonArray required = schema.getJsonArray("required", new JsonArray());
    int most = schema.getInteger("maxProperties", Integer.MAX_VALUE);
    for (String name : properties.fieldNames()) {
      if (out.size() >= most && !required.contains(name)) {
        continue; // "exactly one of": the sample takes the first
      }
      int marked = freePointers.size();
      Object v = value(pointer + "/" + name, properties.getJsonObject(name));
      if (v == null && required.contains(name)) {
        return null;
      }
      if (v == null) {
        freePointers.subList(marked, freePointers.size()).clear();
      } else {
        out.put(name, v);
      }
    }
    return out;
  }

  private JsonArray array(String pointer, JsonObject schema) {
    JsonObject items = schema.getJsonObject("items", new JsonObject().put("type", "string"));
    Object item = value(pointer + "/0", items);
    return item == null ? null : new JsonArray().add(item);
  }

  private String string(String pointer, JsonObject schema) {
    String format = schema.getString("format");
    if (format != null) {
      return switch (format) {
        case "uuid" -> UUID.randomUUID().toString();
        case "date" -> "2000-01-01";
        case "date-time" -> "2030-01-01T10:00:00Z";
        case "email" -> "someone@example.test";
        case "uri" -> "https://example.test/x";
        default -> null;
      };
    }
    if (schema.containsKey("pattern") || schema.getInteger("maxLength", FREE.length()) < FREE.length()) {
      return null;
    }
    freePointers.add(pointer);
    return FREE + "x".repeat(Math.max(0, schema.getInteger("minLength", 0) - FREE.length()));
  }

  private static Number number(JsonObject schema) {
    Number minimum = schema.getNumber("minimum");
    return minimum == null ? 1 : minimum;
  }

  private static String type(JsonObject schema) {
    Object type = schema.getValue("type");
    if (type instanceof JsonArray types) {
      return types.stream().map(String::valueOf).filter(t -> !t.equals("null")).findFirst().orElse("null");
    }
    return type == null ? (schema.containsKey("properties") ? "object" : "none") : type.toString();
  }

  /** A schema or parameter of {@code contract} with its {@code $ref} followed to the component it names. */
  public static JsonObject resolved(JsonObject contract, JsonObject value) {
    while (value.containsKey("$ref")) {
      JsonObject at = contract;
      for (String segment : value.getString("$ref").substring(2).split("/")) {
        at = at.getJsonObject(segment);
      }
      value = at;
    }
    return value;
  }
}
