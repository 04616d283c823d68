package io.caduceus.api.http;

import io.caduceus.api.error.DomainException;
import io.caduceus.api.error.TooManyRequests;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The one failure handler: every error leaves as an RFC 9457 problem document. Nothing from an exception's
 * message reaches the client unless the exception is ours (whose messages never carry PHI); an unexpected
 * failure is logged by class, SQLSTATE and code location only, and answered as a 500 with the request id.
 */
public final class ProblemHandler implements Handler<RoutingContext> {

  static final String PROBLEM_JSON = "application/problem+json";
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  @Override
  public void handle(RoutingContext rc) {
    if (rc.response().headWritten()) {
      rc.response().reset();
      return;
    }
    Throwable failure = rc.failure();
    if (failure instanceof DomainException domain) {
      if (domain instanceof TooManyRequests tooMany) {
        rc.response().putHeader("Retry-After", String.valueOf(tooMany.retryAfterSeconds()));
      }
      send(rc, domain.status(), "urn:caduceus:problem:" + domain.type(), domain.title(), domain.getMessage(),
          errors(domain.errors()));
      return;
    }
    Throwable cause = failure instanceof HttpException http && http.getCause() != null ? http.getCause() : failure;
    if (cause instanceof SchemaValidationException invalid) {
      send(rc, 400, "urn:caduceus:problem:invalid", "Invalid request", "the request does not match the contract",
          schemaErrors(invalid));
      return;
    }
    if (cause instanceof ValidatorException invalid) {
      send(rc, 400, "urn:caduceus:problem:invalid", "Invalid request", validatorDetail(invalid), null);
      return;
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : rc.statusCode();
    if (status >= 400 && status < 500) {
      sendStatus(rc, status);
      return;
    }
    LOG.error("request {} failed: {}", Requests.requestId(rc), describe(failure));
    send(rc, 500, "urn:caduceus:problem:internal", "Internal error",
        "the server failed to answer; quote the request id to support", null);
  }

  private void sendStatus(RoutingContext rc, int status) {
    switch (status) {
      case 401 -> {
        rc.response().putHeader("WWW-Authenticate", "Bearer");
        send(rc, 401, "urn:caduceus:problem:unauthorized", "Unauthorized",
            "a valid bearer token is required", null);
      }
      case 404 -> send(rc, 404, "urn:caduceus:problem:not-found", "Not found", "no such route", null);
      case 405 -> send(rc, 405, "about:blank", "Method not allowed", "the route does not support this method", null);
      case 413 -> send(rc, 413, "about:blank", "Content too large", "the request body exceeds the limit", null);
      case 415 -> send(rc, 415, "about:blank", "Unsupported media type", "send application/json", null);
      default -> send(rc, status, "about:blank", "Client error", "the request cannot be served", null);
    }
  }

  private static void send(RoutingContext rc, int status, String type, String title, String detail,
                           JsonArray errors) {
    JsonObject problem = new JsonObject()
        .put("type", type)
        .put("title", title)
        .put("status", status)
        .put("detail", detail)
        .put("instance", rc.request().path())
        .put("requestId", Requests.requestId(rc));
    if (errors != null && !errors.isEmpty()) {
      problem.put("errors", errors);
    }
    rc.response().setStatusCode(status).putHeader("Content-Type", PROBLEM_JSON).end(problem.toBuffer());
  }

  private static JsonArray errors(List<DomainException.FieldError> fieldErrors) {
    JsonArray array = new JsonArray();
    fieldErrors.forEach(e -> array.add(new JsonObject().put("pointer", e.pointer()).put("detail", e.detail())));
    return array;
  }

  /** The schema errors, as JSON pointers and reasons; the reasons name constraints, never the rejected values. */
  private static JsonArray schemaErrors(SchemaValidationException invalid) {
    JsonArray array = new JsonArray();
    OutputUnit unit = invalid.getOutputUnit();
    List<OutputUnit> units = unit == null || unit.getErrors() == null ? List.of() : unit.getErrors();
    for (OutputUnit error : units) {
      String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation();
      array.add(new JsonObject()
          .put("pointer", location.startsWith("#") ? location.substring(1) : location)
          .put("detail", error.getError() == null ? "invalid" : error.getError()));
    }
    if (array.isEmpty()) {
      array.add(new JsonObject().put("pointer", "").put("detail", "does not match the contract"));
    }
    return array;
  }

  private static String validatorDetail(ValidatorException invalid) {
    return switch (invalid.type()) {
      case MISSING_REQUIRED_PARAMETER -> "a required parameter or the request body is missing";
      case INVALID_VALUE_FORMAT, UNSUPPORTED_VALUE_FORMAT -> "a parameter or the body is not in the expected format";
      default -> "the request does not match the contract";
    };
  }

  /** A log-safe description: the exception class, SQLSTATE if any, and the first frame of our own code. */
  static String describe(Throwable t) {
    StringBuilder out = new StringBuilder(t == null ? "unknown" : t.getClass().getName());
    if (t instanceof PgException pg) {
      out.append(" sqlState=").append(pg.getSqlState());
    }
    if (t != null) {
      for (StackTraceElement frame : t.getStackTrace()) {
        if (frame.getClassName().startsWith("io.caduceus")) {
          out.append(" at ").append(frame.getClassName()).append(':').append(frame.getLineNumber());
          break;
        }
      }
    }
    return out.toString();
  }
}
