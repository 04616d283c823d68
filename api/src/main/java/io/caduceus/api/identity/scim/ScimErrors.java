package io.caduceus.api.identity.scim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * SCIM's own error document (RFC 7644 §3.12), which SCIM clients expect instead of RFC 9457: every failure of a
 * {@code /scim/} request leaves as one, in {@code application/scim+json}. A service names the {@code scimType} of a
 * 400 by the pointer of its {@code Invalid} ({@link #FILTER}, {@link #PATH}, {@link #NO_TARGET}, {@link #MUTABILITY}).
 */
public final class ScimErrors {

  /** The media type of every SCIM answer. */
  public static final String MEDIA_TYPE = "application/scim+json";
  /** The error schema. */
  public static final String SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
  static final String PREFIX = "scim:";
  static final String FILTER = PREFIX + "invalidFilter";
  static final String PATH = PREFIX + "invalidPath";
  static final String NO_TARGET = PREFIX + "noTarget";
  static final String MUTABILITY = PREFIX + "mutability";
  static final String VALUE = PREFIX + "invalidValue";

  private ScimErrors() {
  }

  /** Whether a request path is SCIM's. */
  public static boolean isScim(String path) {
    return path != null && path.startsWith("/scim/");
  }

  /** Ends the response with a SCIM error; {@code errors} are the problem's field errors (pointer, detail), if any. */
  public static void send(RoutingContext rc, int status, String detail, JsonArray errors) {
    JsonObject error = new JsonObject()
        .put("schemas", new JsonArray().add(SCHEMA))
        .put("status", String.valueOf(status))
        .put("detail", detail + fields(errors));
    String type = scimType(status, errors);
    if (type != null) {
      error.put("scimType", type);
    }
    rc.response().setStatusCode(status).putHeader("Content-Type", MEDIA_TYPE).end(error.toBuffer());
  }

  /** The fields a problem named (pointers and reasons, never values), which SCIM's error has no member for. */
  private static String fields(JsonArray errors) {
    if (errors == null || errors.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (Object e : errors) {
      JsonObject error = (JsonObject) e;
      String pointer = error.getString("pointer", "");
      if (!pointer.startsWith(PREFIX)) {
        out.append(out.length() == 0 ? ": " : "; ").append(pointer).append(' ').append(error.getString("detail"));
      }
    }
    return out.toString();
  }

  private static String scimType(int status, JsonArray errors) {
    String pointer = errors == null || errors.isEmpty() ? null : errors.getJsonObject(0).getString("pointer");
    if (pointer != null && pointer.startsWith(PREFIX)) {
      return pointer.substring(PREFIX.length());
    }
    return switch (status) {
      case 400 -> pointer == null ? "invalidSyntax" : "invalidValue";
      case 409 -> "uniqueness";
      default -> null;
    };
  }
}
