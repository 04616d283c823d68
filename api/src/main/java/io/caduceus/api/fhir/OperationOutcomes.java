package io.caduceus.api.fhir;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * FHIR's error document: every failure of a {@code /fhir/} request leaves as an {@code OperationOutcome}
 * ({@code application/fhir+json}) with the same status, detail and field pointers an RFC 9457 problem would carry
 * elsewhere, never SQL, a stack trace or a submitted value. Written by hand, so an error never waits for the FHIR
 * model to load.
 */
public final class OperationOutcomes {

  private OperationOutcomes() {
  }

  /** Whether a request path is the FHIR facade's. */
  public static boolean isFhir(String path) {
    return path != null && path.startsWith(FhirMedia.BASE + "/");
  }

  /** Ends the response with an OperationOutcome; {@code errors} are the problem's field errors (pointer, detail). */
  public static void send(RoutingContext rc, int status, String detail, JsonArray errors) {
    rc.response().setStatusCode(status).putHeader("Content-Type", FhirMedia.JSON)
        .end(of(status, detail, errors).toBuffer());
  }

  /** The OperationOutcome for a status, its detail and its field errors. */
  public static JsonObject of(int status, String detail, JsonArray errors) {
    JsonArray issues = new JsonArray();
    String code = code(status);
    if (errors != null && !errors.isEmpty()) {
      for (Object e : errors) {
        JsonObject error = (JsonObject) e;
        JsonObject issue = new JsonObject().put("severity", "error").put("code", code)
            .put("diagnostics", error.getString("detail"));
        String pointer = error.getString("pointer");
        if (pointer != null && !pointer.isEmpty()) {
          issue.put("expression", new JsonArray().add(pointer));
        }
        issues.add(issue);
      }
    } else {
      issues.add(new JsonObject().put("severity", status >= 500 ? "fatal" : "error").put("code", code)
          .put("diagnostics", detail));
    }
    return new JsonObject().put("resourceType", "OperationOutcome").put("issue", issues);
  }

  /** The issue type (FHIR's {@code IssueType} value set) that a status stands for. */
  static String code(int status) {
    return switch (status) {
      case 400 -> "invalid";
      case 401 -> "login";
      case 403 -> "forbidden";
      case 404, 410 -> "not-found";
      case 405, 406, 415 -> "not-supported";
      case 409, 412, 428 -> "conflict";
      case 413, 414 -> "too-costly";
      case 422 -> "processing";
      case 429 -> "throttled";
      case 503 -> "transient";
      default -> status >= 500 ? "exception" : "invalid";
    };
  }
}
