package io.caduceus.api.identity.scim;

import io.caduceus.api.error.Invalid;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A User resource as a client sent it (POST, PUT, or the result of a PATCH), checked: {@code userName} is required,
 * {@code active} is a boolean (Entra sends {@code "False"} as a string in PATCH), and the user's email is the primary
 * (else first) of {@code emails}, else the {@code userName}, which must then be an email address. Only the core and
 * enterprise attributes below are kept; {@code id}, {@code meta} and {@code groups} are read-only and ignored.
 */
record ScimUserDraft(String userName, String externalId, boolean active, JsonObject attributes, String email,
                     String displayName) {

  static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
  private static final List<String> KEPT = List.of("name", "displayName", "nickName", "title", "userType",
      "preferredLanguage", "locale", "timezone", "emails", "phoneNumbers", ScimPatch.ENTERPRISE);
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,253}$");

  static ScimUserDraft of(JsonObject resource) {
    String userName = text(resource, "userName", 254);
    if (userName == null || userName.isBlank()) {
      throw new Invalid(ScimErrors.VALUE, "userName is required");
    }
    String externalId = text(resource, "externalId", 256);
    JsonObject attributes = new JsonObject();
    for (String key : KEPT) {
      Object value = resource.getValue(key);
      if (value != null) {
        attributes.put(key, value);
      }
    }
    String email = email(attributes.getValue("emails"), userName);
    return new ScimUserDraft(userName.trim(), externalId, active(resource.getValue("active")), attributes, email,
        displayName(attributes, userName));
  }

  /** The resource's {@code active}: absent means active. */
  private static boolean active(Object value) {
    if (value == null || value instanceof Boolean) {
      return value == null || (Boolean) value;
    }
    String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
    if (text.equals("true") || text.equals("false")) {
      return text.equals("true");
    }
    throw new Invalid(ScimErrors.VALUE, "active is true or false");
  }

  private static String email(Object emails, String userName) {
    String chosen = null;
    if (emails instanceof JsonArray list) {
      for (Object item : list) {
        if (item instanceof JsonObject e && e.getValue("value") instanceof String v
            && (chosen == null || Boolean.TRUE.equals(e.getValue("primary")))) {
          chosen = v;
        }
      }
    } else if (emails != null) {
      throw new Invalid(ScimErrors.VALUE, "emails is a list");
    }
    String email = (chosen == null ? userName : chosen).trim();
    if (!EMAIL.matcher(email).matches()) {
      throw new Invalid(ScimErrors.VALUE, "the user needs an email address: in emails, or as the userName");
    }
    return email;
  }

  private static String displayName(JsonObject attributes, String userName) {
    Object display = attributes.getValue("displayName");
    if (display instanceof String d && !d.isBlank()) {
      return clip(d);
    }
    if (attributes.getValue("name") instanceof JsonObject name) {
      if (name.getValue("formatted") instanceof String f && !f.isBlank()) {
        return clip(f);
      }
      String joined = (String.valueOf(name.getValue("givenName", "")) + " "
          + String.valueOf(name.getValue("familyName", ""))).trim();
      if (!joined.isBlank()) {
        return clip(joined);
      }
    }
    return clip(userName);
  }

  private static String clip(String text) {
    String trimmed = text.trim();
    return trimmed.length() > 200 ? trimmed.substring(0, 200) : trimmed;
  }

  private static String text(JsonObject resource, String key, int max) {
    Object value = resource.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || text.length() > max) {
      throw new Invalid(ScimErrors.VALUE, key + " is a string of at most " + max + " characters");
    }
    return text.isBlank() ? null : text;
  }
}
