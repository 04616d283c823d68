package io.caduceus.api.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A schema validation failure as a client can act on it: one entry per JSON pointer, with the most specific
 * reason. The validator reports each failing property several times (the {@code properties} and {@code $ref} that
 * lead to it, the keyword that failed) and, because a property that failed counts as not evaluated, also as an
 * "additional property" of its object, which it is not. Here a declared property is never called additional, an
 * undeclared one is named, a missing required one gets its own pointer, and the reasons name the broken rule,
 * never the rejected value, which may be PHI.
 */
public final class SchemaErrors {

  private static final Pattern REQUIRED = Pattern.compile("required property \"(.*)\"$");
  private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]{2}");
  private static final int LONGEST_NAME = 64;
  /** Enough to fix a request by; a body with thousands of bad items gets the first ones. */
  private static final int MOST_ERRORS = 100;

  /** How specific a reason is: the lower, the more a client learns from it. */
  private enum Rank { REQUIRED, TYPE, VALUE, FORMAT, PATTERN, LENGTH, RANGE, SIZE, UNDECLARED, OTHER, BRANCH, GENERIC }

  private record Finding(String pointer, Rank rank, String detail) {
  }

  private SchemaErrors() {
  }

  /** The errors of {@code unit}; pointers are prefixed with {@code parameter} when the failure is a parameter's. */
  public static JsonArray of(String parameter, OutputUnit unit) {
    List<Finding> findings = new ArrayList<>();
    collect(unit, findings);
    TreeMap<String, List<Finding>> byPointer = new TreeMap<>();
    findings.forEach(f -> byPointer.computeIfAbsent(f.pointer(), p -> new ArrayList<>()).add(f));
    Map<String, Finding> best = new LinkedHashMap<>();
    for (Finding f : findings) {
      if (best.size() < MOST_ERRORS && !superseded(f, byPointer)) {
        best.merge(f.pointer(), f, (a, b) -> b.rank().compareTo(a.rank()) < 0 ? b : a);
      }
    }
    JsonArray array = new JsonArray();
    best.values().forEach(f -> array.add(new JsonObject()
        .put("pointer", parameter == null ? f.pointer() : parameter + f.pointer()).put("detail", f.detail())));
    if (array.isEmpty()) {
      array.add(new JsonObject().put("pointer", parameter == null ? "" : parameter)
          .put("detail", "does not match the contract"));
    }
    return array;
  }

  private static void collect(OutputUnit unit, List<Finding> into) {
    if (unit == null || unit.getErrors() == null) {
      return;
    }
    for (OutputUnit error : unit.getErrors()) {
      if (error.getKeywordLocation() != null) {
        into.add(finding(error));
      }
      collect(error, into);
    }
  }

  /**
   * An "additional property" finding is superseded by any other finding at or below its pointer: the validator
   * adds one to a declared property that failed, which also has its own. A generic finding is superseded by any
   * more specific one there, and a type mismatch inside one branch of a oneOf or anyOf (typically the {@code null}
   * branch of an optional value) by what the other branch found.
   */
  private static boolean superseded(Finding f, TreeMap<String, List<Finding>> byPointer) {
    if (f.rank() != Rank.GENERIC && f.rank() != Rank.UNDECLARED && f.rank() != Rank.BRANCH) {
      return false;
    }
    List<Finding> within = new ArrayList<>(byPointer.get(f.pointer()));
    byPointer.subMap(f.pointer() + "/", f.pointer() + "/\uffff").values().forEach(within::addAll);
    for (Finding other : within) {
      boolean moreTelling = f.rank() == Rank.UNDECLARED ? other.rank() != Rank.UNDECLARED
          : other.rank().compareTo(f.rank()) < 0;
      if (other != f && moreTelling) {
        return true;
      }
    }
    return false;
  }

  private static Finding finding(OutputUnit error) {
    String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation();
    String pointer = location.startsWith("#") ? location.substring(1) : location;
    String keywordPath = error.getKeywordLocation();
    String keyword = keywordPath.substring(keywordPath.lastIndexOf('/') + 1);
    return switch (keyword) {
      case "required", "dependentRequired" -> required(pointer, error.getError());
      case "additionalProperties", "unevaluatedProperties" -> undeclared(pointer);
      case "type" -> keywordPath.contains("/oneOf/") || keywordPath.contains("/anyOf/")
          ? new Finding(pointer, Rank.BRANCH, "is not of the expected type")
          : new Finding(pointer, Rank.TYPE, "is not of the expected type");
      case "enum", "const" -> new Finding(pointer, Rank.VALUE, "is not one of the allowed values");
      case "format" -> new Finding(pointer, Rank.FORMAT, "is not in the expected format");
      case "pattern" -> new Finding(pointer, Rank.PATTERN, "does not match the expected pattern");
      case "maxLength" -> new Finding(pointer, Rank.LENGTH, "is too long");
      case "minLength" -> new Finding(pointer, Rank.LENGTH, "is too short");
      case "maximum", "exclusiveMaximum" -> new Finding(pointer, Rank.RANGE, "is above the maximum");
      case "minimum", "exclusiveMinimum" -> new Finding(pointer, Rank.RANGE, "is below the minimum");
      case "multipleOf" -> new Finding(pointer, Rank.RANGE, "is not a multiple of the required step");
      case "maxItems" -> new Finding(pointer, Rank.SIZE, "has too many items");
      case "minItems" -> new Finding(pointer, Rank.SIZE, "has too few items");
      case "uniqueItems" -> new Finding(pointer, Rank.SIZE, "has repeated items");
      case "minProperties" -> new Finding(pointer, Rank.SIZE, "is empty");
      case "maxProperties" -> new Finding(pointer, Rank.SIZE, "has too many properties");
      case "properties", "patternProperties", "$ref", "$dynamicRef", "items", "prefixItems", "allOf", "anyOf",
           "oneOf", "not", "if", "then", "else", "dependentSchemas", "contains", "propertyNames" ->
          new Finding(pointer, Rank.GENERIC, "does not match the contract");
      default -> new Finding(pointer, Rank.OTHER, "does not match the contract");
    };
  }

  /** A missing property gets its own pointer; the validator names it in its message. */
  private static Finding required(String pointer, String message) {
    Matcher m = REQUIRED.matcher(message == null ? "" : message);
    if (!m.find()) {
      return new Finding(pointer, Rank.REQUIRED, "lacks a required property");
    }
    return new Finding(pointer + "/" + m.group(1).replace("~", "~0").replace("/", "~1"), Rank.REQUIRED,
        "is required");
  }

  /**
   * An undeclared property, named. A name that is unprintable or long enough to carry a value is not repeated,
   * not even in the pointer: the object that holds it is named instead.
   */
  private static Finding undeclared(String pointer) {
    int slash = pointer.lastIndexOf('/');
    String name = percentDecoded(pointer.substring(slash + 1));
    if (name == null || name.length() > LONGEST_NAME || StorableText.problem(name) != null
        || name.chars().anyMatch(Character::isISOControl)) {
      return new Finding(pointer.substring(0, Math.max(slash, 0)), Rank.UNDECLARED,
          "has a property the contract does not define");
    }
    return new Finding(pointer.substring(0, slash + 1) + name.replace("~", "~0").replace("/", "~1"), Rank.UNDECLARED,
        "the contract defines no property \"" + name + "\" here");
  }

  /**
   * A pointer segment as the validator writes it (a URI fragment: percent-encoded, then JSON-pointer escaped) in
   * plain text, or null when it is not well-formed (the validator writes a NUL as {@code %0}).
   */
  private static String percentDecoded(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment.replace("~1", "/").replace("~0", "~");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c != '%') {
        bytes.writeBytes(String.valueOf(c).getBytes(UTF_8));
      } else if (i + 2 < segment.length() && HEX.matcher(segment.substring(i + 1, i + 3)).matches()) {
        bytes.write(Integer.parseInt(segment.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        return null;
      }
    }
    return bytes.toString(UTF_8).replace("~1", "/").replace("~0", "~");
  }
}
