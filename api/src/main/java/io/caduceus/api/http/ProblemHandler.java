package io.caduceus.api.http;

import io.caduceus.api.error.DomainException;
import io.caduceus.api.error.RowSecurity;
import io.caduceus.api.error.TooManyRequests;
import io.caduceus.routing.DatabaseOutage;
import io.caduceus.routing.RareWarning;
import io.caduceus.api.error.Unauthorized;
import io.caduceus.api.fhir.OperationOutcomes;
import io.caduceus.api.identity.scim.ScimErrors;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.catalog.TokenRefused;
import io.caduceus.routing.quota.Bulkheads;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one failure handler: every error leaves as an RFC 9457 problem document. Nothing from an exception's
 * message reaches the client unless the exception is ours (whose messages never carry PHI); an unexpected
 * failure is logged by class, SQLSTATE and code location only, and answered as a 500 with the request id.
 */
public final class ProblemHandler implements Handler<RoutingContext> {

  static final String PROBLEM_JSON = "application/problem+json";
  /** A tier move's write pause lasts the copy plus two placement refreshes: a few seconds for most tenants. */
  static final int WRITES_PAUSED_RETRY_SECONDS = 2;
  /**
   * A dependency that is down (PostgreSQL restarting or failing over, Redis under the deny quota fallback) is usually
   * back within seconds, and the pools reconnect on their own.
   */
  static final int OUTAGE_RETRY_SECONDS = 2;
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);
  private static final RareWarning OUTAGES = new RareWarning(LOG, 10_000);

  @Override
  public void handle(RoutingContext rc) {
    if (rc.response().headWritten()) {
      rc.response().reset();
      return;
    }
    Throwable failure = rc.failure();
    if (failure instanceof HttpException http && http.getCause() instanceof TokenRefused refused
        && refused.reason() == TokenRefused.Reason.EXPIRED) {
      failure = Unauthorized.expiredToken(); // the token verifier's own answer, wrapped by the JWT handler
    }
    if (failure instanceof DomainException domain) {
      if (domain instanceof TooManyRequests tooMany) {
        rc.response().putHeader("Retry-After", String.valueOf(tooMany.retryAfterSeconds()));
      } else if (domain.status() == 503) {
        rc.response().putHeader("Retry-After", String.valueOf(OUTAGE_RETRY_SECONDS));
      }
      if (domain instanceof Unauthorized unauthorized) {
        rc.response().putHeader("WWW-Authenticate", unauthorized.challenge());
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
      String parameter = parameterOf(invalid);
      send(rc, 400, "urn:caduceus:problem:invalid", "Invalid request", validatorDetail(invalid), parameter == null
          ? null : new JsonArray().add(new JsonObject().put("pointer", parameter).put("detail", validatorDetail(invalid))));
      return;
    }
    if (cause instanceof Bulkheads.Full) {
      // The tenant holds its whole share of this node's database connections: back off, not a bug.
      rc.response().putHeader("Retry-After", "1");
      send(rc, 503, "urn:caduceus:problem:unavailable", "Service unavailable",
          "the tenant's database capacity on this node is in use; retry shortly", null);
      return;
    }
    if (cause instanceof TenantDb.WritesPaused) {
      // A tier move copies the tenant: reads go on, writes wait a few seconds.
      rc.response().putHeader("Retry-After", String.valueOf(WRITES_PAUSED_RETRY_SECONDS));
      send(rc, 503, "urn:caduceus:problem:writes-paused", "Writes paused",
          "this tenant's data is moving to another isolation tier; reads go on, writes are refused for a few seconds",
          null);
      return;
    }
    if (cause instanceof TenantDb.PlaceUnavailable) {
      rc.response().putHeader("Retry-After", "30");
      send(rc, 503, "urn:caduceus:problem:unavailable", "Service unavailable",
          "this tenant's data is being upgraded; retry shortly", null);
      return;
    }
    if (DatabaseOutage.explains(failure)) {
      // A database cannot serve now (stopped, restarting, failing over, out of connections): not a bug. The pools
      // reconnect by themselves, and a write retried with its Idempotency-Key happens at most once.
      OUTAGES.warn("requests answer 503: a database is unavailable ({})", describe(failure));
      rc.response().putHeader("Retry-After", String.valueOf(OUTAGE_RETRY_SECONDS));
      send(rc, 503, "urn:caduceus:problem:unavailable", "Service unavailable",
          "a database or service this request needs is unavailable; retry shortly", null);
      return;
    }
    if (RowSecurity.refused(cause)) {
      // The database refused a row outside the actor's reach that the service should have refused first: the
      // answer is the refusal, the log says where a check is missing.
      LOG.warn("request {} was refused by row-level security: {}", Requests.requestId(rc), describe(cause));
      send(rc, 403, "urn:caduceus:problem:forbidden", "Forbidden", "the request would change a record outside"
          + " your access", null);
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
        // No token: a bare challenge. A refused token: invalid_token, never why (an expiry is told by the verifier's
        // own Unauthorized, handled above).
        boolean tokenRefused = rc.failure() != null && rc.failure().getCause() != null;
        rc.response().putHeader("WWW-Authenticate", tokenRefused ? "Bearer error=\"invalid_token\"" : "Bearer");
        send(rc, 401, "urn:caduceus:problem:unauthorized", "Unauthorized",
            "a valid bearer token is required", null);
      }
      case 404 -> send(rc, 404, "urn:caduceus:problem:not-found", "Not found", "no such route", null);
      case 405 -> send(rc, 405, "about:blank", "Method not allowed",
          "the route does not support this method; the Allow header lists those it does", null);
      case 406 -> send(rc, 406, "about:blank", "Not acceptable",
          "the operation answers in none of the media types the Accept header allows", null);
      case 413 -> send(rc, 413, "about:blank", "Content too large", "the request body exceeds the limit", null);
      case 414 -> send(rc, 414, "about:blank", "URI too long", "the request line is longer than the server reads", null);
      case 415 -> send(rc, 415, "about:blank", "Unsupported media type",
          "the operation does not read this media type; the Accept header lists those it does", null);
      default -> send(rc, status, "about:blank", "Client error", "the request cannot be served", null);
    }
  }

  private static void send(RoutingContext rc, int status, String type, String title, String detail,
                           JsonArray errors) {
    if (ScimErrors.isScim(rc.request().path())) {
      // A SCIM client reads SCIM's error schema, not RFC 9457 (RFC 7644 §3.12); the same status and detail.
      ScimErrors.send(rc, status, detail, errors);
      return;
    }
    if (OperationOutcomes.isFhir(rc.request().path())) {
      // A FHIR client reads an OperationOutcome; the same status, detail and field pointers.
      OperationOutcomes.send(rc, status, detail, errors);
      return;
    }
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

  /**
   * The schema errors, one per JSON pointer (or, for a parameter, its name) with the most specific reason. The
   * reasons name the broken constraint, never the rejected value, which may be PHI.
   */
  private static JsonArray schemaErrors(SchemaValidationException invalid) {
    return SchemaErrors.of(parameterOf(invalid), invalid.getOutputUnit());
  }

  /** The contract parameter a validation failure names ("limit"), or null if it is about the body. */
  private static String parameterOf(ValidatorException invalid) {
    Matcher m = PARAMETER.matcher(String.valueOf(invalid.getMessage()));
    return m.find() ? m.group(1) : null;
  }

  private static final Pattern PARAMETER = Pattern.compile("\\b(?:path|query|header|cookie) parameter ([A-Za-z0-9_.-]+)");

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
