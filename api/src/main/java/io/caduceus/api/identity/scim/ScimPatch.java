package io.caduceus.api.identity.scim;

import io.caduceus.api.error.Invalid;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * SCIM PATCH (RFC 7644 §3.5.2) applied to a resource's JSON: {@code add}, {@code replace} and {@code remove}, in any
 * case as Entra sends them, with a path ({@code active}, {@code name.givenName}, {@code emails[type eq "work"].value},
 * {@code members[value eq "id"]}, enterprise-extension paths) or without one (the value's attributes). A removal from
 * {@code members} with a value removes those members only (Entra). The result is then checked like a PUT body.
 */
final class ScimPatch {

  static final String PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
  private static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:";
  static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  private static final Pattern PATH = Pattern.compile(
      "^([A-Za-z][A-Za-z0-9]*)(?:\\[\\s*([A-Za-z][A-Za-z0-9]*)\\s+eq\\s+\"((?:[^\"\\\\]|\\\\.)*)\"\\s*])?"
          + "(?:\\.([A-Za-z][A-Za-z0-9]*))?$", Pattern.CASE_INSENSITIVE);
  private static final Map<String, String> NAMES = Stream.of("userName", "externalId", "active", "name",
          "displayName", "nickName", "profileUrl", "title", "userType", "preferredLanguage", "locale", "timezone",
          "emails", "phoneNumbers", "addresses", "members", "givenName", "familyName", "middleName", "formatted",
          "honorificPrefix", "honorificSuffix", "value", "type", "primary", "display", "department", "employeeNumber",
          "organization", "division", "costCenter", "manager")
      .collect(Collectors.toMap(n -> n.toLowerCase(Locale.ROOT), n -> n));

  private ScimPatch() {
  }

  /** The resource after the request's operations, in order; fails 400 on an operation it cannot apply. */
  static JsonObject apply(JsonObject resource, JsonObject request) {
    JsonArray schemas = request.getJsonArray("schemas", new JsonArray());
    if (!schemas.contains(PATCH_SCHEMA)) {
      throw new Invalid(ScimErrors.VALUE, "a PATCH names the schema " + PATCH_SCHEMA);
    }
    JsonObject result = resource.copy();
    JsonArray operations = request.getJsonArray("Operations", request.getJsonArray("operations"));
    if (operations == null || operations.isEmpty()) {
      throw new Invalid(ScimErrors.VALUE, "a PATCH carries at least one operation in Operations");
    }
    for (Object item : operations) {
      if (!(item instanceof JsonObject op)) {
        throw new Invalid(ScimErrors.VALUE, "each operation is an object");
      }
      operation(result, op);
    }
    return result;
  }

  private static void operation(JsonObject resource, JsonObject op) {
    String kind = String.valueOf(op.getValue("op")).toLowerCase(Locale.ROOT);
    if (!kind.equals("add") && !kind.equals("replace") && !kind.equals("remove")) {
      throw new Invalid(ScimErrors.VALUE, "op is add, replace or remove");
    }
    String path = op.getString("path");
    Object value = op.getValue("value");
    if (path == null || path.isBlank()) {
      if (kind.equals("remove") || !(value instanceof JsonObject attributes)) {
        throw new Invalid(ScimErrors.NO_TARGET, "an operation without a path is an add or replace of an object");
      }
      attributes.forEach(e -> at(resource, e.getKey(), kind, e.getValue()));
      return;
    }
    at(resource, path, kind, value);
  }

  private static void at(JsonObject resource, String fullPath, String kind, Object value) {
    JsonObject container = resource;
    String path = fullPath.trim();
    if (path.regionMatches(true, 0, ENTERPRISE, 0, ENTERPRISE.length())) {
      container = resource.getJsonObject(ENTERPRISE);
      if (container == null) {
        container = new JsonObject();
        resource.put(ENTERPRISE, container);
      }
      path = path.length() == ENTERPRISE.length() ? "" : path.substring(ENTERPRISE.length() + 1);
      if (path.isEmpty()) {
        if (value instanceof JsonObject extension && !kind.equals("remove")) {
          JsonObject target = container;
          extension.forEach(e -> set(target, name(e.getKey()), kind, e.getValue()));
        } else if (kind.equals("remove")) {
          resource.remove(ENTERPRISE);
        }
        return;
      }
    } else if (path.regionMatches(true, 0, CORE, 0, CORE.length())) {
      int colon = path.indexOf(':', CORE.length());
      path = colon < 0 ? "" : path.substring(colon + 1);
    }
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      throw new Invalid(ScimErrors.PATH, "the path is not one this server applies");
    }
    String attribute = name(m.group(1));
    String sub = m.group(4) == null ? null : name(m.group(4));
    if (m.group(2) != null) {
      filtered(container, attribute, name(m.group(2)), m.group(3), sub, kind, value);
    } else if (sub != null) {
      JsonObject parent = container.getValue(attribute) instanceof JsonObject o ? o : new JsonObject();
      set(parent, sub, kind, value);
      container.put(attribute, parent);
    } else {
      set(container, attribute, kind, value);
    }
  }

  private static void set(JsonObject target, String attribute, String kind, Object value) {
    Object current = target.getValue(attribute);
    if (kind.equals("remove")) {
      if (current instanceof JsonArray list && value instanceof JsonArray gone) {
        list.getList().removeIf(element -> gone.stream().anyMatch(g -> sameValue(element, g)));
      } else {
        target.remove(attribute);
      }
    } else if (kind.equals("add") && current instanceof JsonArray list && value instanceof JsonArray more) {
      more.forEach(element -> {
        if (list.stream().noneMatch(existing -> sameValue(existing, element))) {
          list.add(element);
        }
      });
    } else if (kind.equals("add") && current instanceof JsonObject object && value instanceof JsonObject more) {
      object.mergeIn(more);
    } else {
      target.put(attribute, value);
    }
  }

  private static void filtered(JsonObject container, String attribute, String key, String expected, String sub,
                               String kind, Object value) {
    JsonArray list = container.getValue(attribute) instanceof JsonArray a ? a : new JsonArray();
    container.put(attribute, list);
    String wanted = expected.replace("\\\"", "\"");
    Predicate<Object> matches = element -> element instanceof JsonObject o
        && wanted.equalsIgnoreCase(String.valueOf(o.getValue(key)));
    if (kind.equals("remove")) {
      if (sub == null) {
        list.getList().removeIf(e -> matches.test(e instanceof Map<?, ?> ? new JsonObject(asMap(e)) : e));
      } else {
        list.stream().filter(matches).forEach(e -> ((JsonObject) e).remove(sub));
      }
      return;
    }
    boolean found = false;
    for (Object element : list) {
      if (matches.test(element)) {
        found = true;
        if (sub != null) {
          ((JsonObject) element).put(sub, value);
        } else if (value instanceof JsonObject object) {
          ((JsonObject) element).mergeIn(object);
        }
      }
    }
    if (!found) {
      JsonObject added = new JsonObject().put(key, wanted);
      if (sub != null) {
        added.put(sub, value);
      } else if (value instanceof JsonObject object) {
        added.mergeIn(object);
      }
      list.add(added);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object element) {
    return element instanceof JsonObject o ? o.getMap() : (Map<String, Object>) element;
  }

  /** Two multi-valued elements are the same when their {@code value}s are (members by id, emails by address). */
  private static boolean sameValue(Object a, Object b) {
    Object va = a instanceof Map<?, ?> || a instanceof JsonObject ? new JsonObject(asMap(a)).getValue("value") : a;
    Object vb = b instanceof Map<?, ?> || b instanceof JsonObject ? new JsonObject(asMap(b)).getValue("value") : b;
    return va != null && String.valueOf(va).equalsIgnoreCase(String.valueOf(vb));
  }

  private static String name(String attribute) {
    return NAMES.getOrDefault(attribute.toLowerCase(Locale.ROOT), attribute);
  }
}
