package io.caduceus.api.http;

import io.caduceus.api.audit.OperationAudit;
import io.caduceus.api.error.Invalid;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** Typed access to what the contract validated, and to what the tenant resolver established. */
public final class Requests {

  static final String TENANT = "caduceus.tenant";
  static final String REQUEST_ID = "caduceus.requestId";
  static final String AUDIT = "caduceus.audit";

  private Requests() {
  }

  /** The tenant context the resolver built from the verified token. */
  public static TenantContext tenant(RoutingContext rc) {
    TenantContext ctx = rc.get(TENANT);
    if (ctx == null) {
      throw new IllegalStateException("no tenant context: the operation is not bound through Operations");
    }
    return ctx;
  }

  /** The tenant context once the resolver has built it; null before, and for a request that has no tenant. */
  public static TenantContext resolvedTenant(RoutingContext rc) {
    return rc.get(TENANT);
  }

  /**
   * The audit record of the request, for a handler that writes its own response or an operation without a token
   * (whose service names the tenant it acts in: {@link OperationAudit#actingFor}).
   */
  public static OperationAudit audit(RoutingContext rc) {
    OperationAudit audit = rc.get(AUDIT);
    if (audit == null) {
      throw new IllegalStateException("the operation declares no x-caduceus-audit");
    }
    return audit;
  }

  /** The request id (from a well-formed {@code X-Request-Id}, or generated). */
  public static String requestId(RoutingContext rc) {
    return rc.get(REQUEST_ID);
  }

  /** The session id of the verified token. */
  public static UUID sessionId(RoutingContext rc) {
    return UUID.fromString(rc.user().principal().getString("sid"));
  }

  /** The client's address as seen by this node. */
  public static String clientAddress(RoutingContext rc) {
    return rc.request().remoteAddress() == null ? null : rc.request().remoteAddress().hostAddress();
  }

  /** A path parameter the contract declared as a UUID. */
  public static UUID pathUuid(RoutingContext rc, String name) {
    return uuid(name, validated(rc).getPathParameters().get(name));
  }

  /** The tenant the path's {@code tenantId} names: a platform operation's target, not the caller's tenant. */
  public static TenantId pathTenant(RoutingContext rc) {
    return new TenantId(pathUuid(rc, "tenantId"));
  }

  /** A string path parameter, as the contract validated it. */
  public static String pathString(RoutingContext rc, String name) {
    return validated(rc).getPathParameters().get(name).getString();
  }

  /** An optional query parameter declared as a UUID. */
  public static UUID queryUuid(RoutingContext rc, String name) {
    return uuid(name, validated(rc).getQuery().get(name));
  }

  /** An optional string query parameter. */
  public static String queryString(RoutingContext rc, String name) {
    RequestParameter p = validated(rc).getQuery().get(name);
    return p == null || p.isNull() ? null : p.getString();
  }

  /** An optional integer query parameter, or the default. */
  public static int queryInt(RoutingContext rc, String name, int fallback) {
    RequestParameter p = validated(rc).getQuery().get(name);
    return p == null || p.isNull() ? fallback : p.getInteger();
  }

  /** An optional boolean query parameter. */
  public static Boolean queryBoolean(RoutingContext rc, String name) {
    RequestParameter p = validated(rc).getQuery().get(name);
    return p == null || p.isNull() ? null : p.getBoolean();
  }

  /** An optional date query parameter. */
  public static LocalDate queryDate(RoutingContext rc, String name) {
    String text = queryString(rc, name);
    return text == null ? null : date(name, text);
  }

  /** An optional date-time query parameter. */
  public static Instant queryInstant(RoutingContext rc, String name) {
    String text = queryString(rc, name);
    return text == null ? null : instant(name, text);
  }

  /** An optional header. */
  public static String header(RoutingContext rc, String name) {
    return rc.request().getHeader(name);
  }

  /** The validated JSON body. */
  public static JsonObject body(RoutingContext rc) {
    RequestParameter body = validated(rc).getBody();
    return body == null || body.isNull() ? new JsonObject() : body.getJsonObject();
  }

  /** Parses a date the contract declared with {@code format: date}. */
  public static LocalDate date(String pointer, String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new Invalid(pointer, "not a date (YYYY-MM-DD)");
    }
  }

  /** Parses an instant the contract declared with {@code format: date-time}. */
  public static Instant instant(String pointer, String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new Invalid(pointer, "not a date-time with offset (RFC 3339)");
    }
  }

  private static UUID uuid(String name, RequestParameter p) {
    if (p == null || p.isNull()) {
      return null;
    }
    try {
      return UUID.fromString(p.getString());
    } catch (IllegalArgumentException e) {
      throw new Invalid(name, "not a UUID");
    }
  }

  private static ValidatedRequest validated(RoutingContext rc) {
    return rc.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }
}
