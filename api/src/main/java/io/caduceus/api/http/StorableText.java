package io.caduceus.api.http;

import io.caduceus.api.error.DomainException.FieldError;
import io.caduceus.api.error.Invalid;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Refuses text that PostgreSQL cannot store as sent, on every operation, after validation and before the handler:
 * a NUL character ({@code text} and {@code jsonb} reject it, which surfaced as a 500) and an unpaired UTF-16
 * surrogate (UTF-8 has no encoding for it, so the driver silently stored "?"). It walks the validated body,
 * property names included, and every validated parameter, and names each place by JSON pointer (a parameter by
 * its name), never its value.
 */
public final class StorableText implements Handler<RoutingContext> {

  /** Why a string was refused, as a field error's detail. */
  static final String NUL = "contains a NUL character (U+0000), which cannot be stored";
  static final String SURROGATE = "contains an unpaired UTF-16 surrogate, which is not Unicode text";

  @Override
  public void handle(RoutingContext rc) {
    ValidatedRequest request = rc.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    List<FieldError> errors = new ArrayList<>();
    if (request != null) {
      parameters(request.getPathParameters(), errors);
      parameters(request.getQuery(), errors);
      parameters(request.getHeaders(), errors);
      parameters(request.getCookies(), errors);
      RequestParameter body = request.getBody();
      if (body != null && !body.isNull()) {
        walk("", body.get(), errors);
      }
    }
    if (errors.isEmpty()) {
      rc.next();
    } else {
      rc.fail(new Invalid("a text value cannot be stored as sent", errors));
    }
  }

  /** Why {@code text} cannot be stored, or null when it can. */
  public static String problem(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return NUL;
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return SURROGATE;
      }
    }
    return null;
  }

  /** Fails with {@link Invalid} naming {@code pointer} when {@code text} cannot be stored. */
  public static void require(String pointer, String text) {
    String problem = text == null ? null : problem(text);
    if (problem != null) {
      throw new Invalid(pointer, problem);
    }
  }

  private static void parameters(Map<String, RequestParameter> parameters, List<FieldError> errors) {
    if (parameters != null) {
      parameters.forEach((name, value) -> {
        if (value != null && !value.isNull()) {
          walk(name, value.get(), errors);
        }
      });
    }
  }

  private static void walk(String pointer, Object value, List<FieldError> errors) {
    if (value instanceof String text) {
      String problem = problem(text);
      if (problem != null) {
        errors.add(new FieldError(pointer, problem));
      }
    } else if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> field : object) {
        String problem = problem(field.getKey());
        if (problem != null) {
          errors.add(new FieldError(pointer, "has a property name that " + problem));
        } else {
          walk(pointer + "/" + escape(field.getKey()), field.getValue(), errors);
        }
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        walk(pointer + "/" + i, array.getValue(i), errors);
      }
    }
  }

  /** A property name as a JSON pointer segment (RFC 6901). */
  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
