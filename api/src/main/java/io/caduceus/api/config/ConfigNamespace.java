package io.caduceus.api.config;

import io.caduceus.api.error.DomainException.FieldError;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.api.http.SchemaErrors;
import io.caduceus.routing.config.ConfigLevel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One configuration namespace as its schema file declares it: its keys (JSON Schema, with defaults), the levels it
 * may be set at, which of them a tenant admin edits (the platform owner edits the rest), and whether a user may set
 * their own user-level keys.
 */
public record ConfigNamespace(String name, JsonObject schema, Set<ConfigLevel> levels, Set<ConfigLevel> tenantEdits,
                              boolean selfEdits, Validator validator) {

  private static final String RULES = "x-caduceus-";

  /** The namespace declared by {@code schema}. */
  static ConfigNamespace of(String name, JsonObject schema) {
    Set<ConfigLevel> levels = levels(schema.getJsonArray(RULES + "levels"));
    Set<ConfigLevel> tenantEdits = levels(schema.getJsonArray(RULES + "tenant-edits", new JsonArray()));
    if (levels.isEmpty() || !levels.containsAll(tenantEdits)
        || !"object".equals(schema.getString("type")) || schema.getBoolean("additionalProperties", true)) {
      throw new IllegalStateException("configuration namespace " + name + " is not declared as the README says");
    }
    Validator validator = Validator.create(JsonSchema.of(schema), new JsonSchemaOptions()
        .setDraft(Draft.DRAFT202012).setBaseUri("urn:caduceus:config:" + name + ":")
        .setOutputFormat(OutputFormat.Basic));
    return new ConfigNamespace(name, schema, levels, tenantEdits, schema.getBoolean(RULES + "self-edits", false),
        validator);
  }

  /** This namespace with the default of each key of {@code defaults} (a key it declares) replaced. */
  ConfigNamespace withDefaults(JsonObject defaults) {
    JsonObject changed = schema.copy();
    JsonObject properties = changed.getJsonObject("properties");
    defaults.forEach(e -> {
      if (!(properties.getValue(e.getKey()) instanceof JsonObject property)) {
        throw new IllegalArgumentException("the " + name + " namespace has no key " + e.getKey());
      }
      property.put("default", e.getValue());
    });
    return of(name, changed);
  }

  /** The keys, in the order the schema declares them. */
  public List<String> keys() {
    return List.copyOf(properties().fieldNames());
  }

  /** The schema's default of each key that has one. */
  public JsonObject defaults() {
    JsonObject defaults = new JsonObject();
    properties().forEach(e -> {
      if (e.getValue() instanceof JsonObject property && property.containsKey("default")) {
        defaults.put(e.getKey(), property.getValue("default"));
      }
    });
    return defaults;
  }

  /**
   * Refuses (422) keys the schema does not accept, naming each field and the rule it breaks; a time zone must also
   * be one the IANA database knows.
   */
  public void check(JsonObject settings) {
    OutputUnit unit = validator.validate(settings);
    List<FieldError> errors = new ArrayList<>();
    if (!Boolean.TRUE.equals(unit.getValid())) {
      SchemaErrors.of(null, unit).forEach(e -> {
        JsonObject error = (JsonObject) e;
        errors.add(new FieldError(error.getString("pointer"), withBound(error.getString("pointer"),
            error.getString("detail"))));
      });
    }
    properties().forEach(e -> {
      if (e.getValue() instanceof JsonObject p && p.getBoolean(RULES + "time-zone", false)
          && settings.getValue(e.getKey()) instanceof String zone && !isZone(zone)) {
        errors.add(new FieldError("/" + e.getKey(), "is not an IANA time zone"));
      }
    });
    if (!errors.isEmpty()) {
      throw new Unprocessable("the " + name + " settings break the namespace's schema", errors);
    }
  }

  private JsonObject properties() {
    return schema.getJsonObject("properties", new JsonObject());
  }

  /** The reason with the bound it breaks, read from the schema ("is below the minimum (minimum: 15)"). */
  private String withBound(String pointer, String detail) {
    List<String> keywords = switch (detail) {
      case "is below the minimum" -> List.of("minimum", "exclusiveMinimum");
      case "is above the maximum" -> List.of("maximum", "exclusiveMaximum");
      case "is too long" -> List.of("maxLength");
      case "is too short" -> List.of("minLength");
      case "has too many items" -> List.of("maxItems");
      case "has too many properties" -> List.of("maxProperties");
      case "is not one of the allowed values" -> List.of("enum");
      default -> List.of();
    };
    JsonObject property = propertyAt(pointer);
    if (property == null) {
      return detail;
    }
    return keywords.stream().filter(property::containsKey).findFirst()
        .map(keyword -> detail + " (" + keyword + ": " + property.getValue(keyword) + ")").orElse(detail);
  }

  private JsonObject propertyAt(String pointer) {
    JsonObject at = schema;
    for (String segment : pointer.substring(pointer.isEmpty() ? 0 : 1).split("/")) {
      if (segment.isEmpty() || at == null) {
        continue;
      }
      JsonObject declared = at.getJsonObject("properties", new JsonObject()).getJsonObject(segment);
      // A key the schema does not name (a user id in quotas' users) takes its additionalProperties' rules.
      at = declared != null ? declared
          : at.getValue("additionalProperties") instanceof JsonObject rules ? rules : null;
    }
    return at;
  }

  private static boolean isZone(String zone) {
    try {
      ZoneId.of(zone);
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }

  private static Set<ConfigLevel> levels(JsonArray names) {
    Set<ConfigLevel> levels = EnumSet.noneOf(ConfigLevel.class);
    names.forEach(n -> levels.add(ConfigLevel.fromWire((String) n)));
    return levels;
  }
}
