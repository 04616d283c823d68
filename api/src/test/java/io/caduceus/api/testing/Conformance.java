package io.caduceus.api.testing;

import io.caduceus.api.http.Contract;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Response;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.caduceus.routing.testing.Await.await;

/**
 * Checks an answer against the contract, as a client generated from it would read it: its status is declared for
 * the operation, and its JSON body and declared headers match the declared response (vertx-openapi's response
 * validator, on the copy of the contract the router is built from). Any test can wrap a call in {@link #check}.
 * Problem documents are not validated here: the router's copy of the contract cannot carry their media type.
 */
public final class Conformance {

  private static Conformance instance;

  private final OpenAPIContract contract;
  private final ResponseValidator validator;

  private Conformance(Vertx vertx) {
    this.contract = await(Contract.load().forRouter(vertx));
    this.validator = ResponseValidator.create(vertx, contract);
  }

  /** The shared checker, built on first use. */
  public static synchronized Conformance get() {
    if (instance == null) {
      instance = new Conformance(Vertx.vertx());
    }
    return instance;
  }

  /** Fails the test unless {@code r}, the answer to {@code method path}, is what the contract declares. */
  public Api.Response check(String method, String path, Api.Response r) {
    String bare = path.split("\\?")[0];
    Operation op = contract.findOperation(bare, HttpMethod.valueOf(method));
    if (op == null) {
      throw new AssertionError("the contract has no operation " + method + " " + bare);
    }
    String what = op.getOperationId() + " " + r.status();
    Response declared = op.getResponse(r.status());
    if (declared == null) {
      throw new AssertionError(what + " is not a status the contract declares");
    }
    String type = r.header("Content-Type");
    if (type == null || !type.startsWith("application/json")) {
      return r;
    }
    try {
      await(validator.validate(ValidatableResponse.create(r.status(), headers(declared, r),
          Buffer.buffer(r.body()), type), op.getOperationId()));
    } catch (IllegalStateException e) {
      throw new AssertionError(what + " does not match the contract: " + reasons(e.getCause()) + "\n" + r.body());
    }
    return r;
  }

  /** The declared headers of the answer, under the contract's names (HTTP header names are case-insensitive). */
  private static Map<String, String> headers(Response declared, Api.Response r) {
    Map<String, String> found = new HashMap<>();
    for (Parameter header : declared.getHeaders()) {
      String value = r.header(header.getName());
      if (value != null) {
        found.put(header.getName(), value);
      }
    }
    return found;
  }

  private static String reasons(Throwable failure) {
    Throwable cause = failure;
    while (cause != null && !(cause instanceof SchemaValidationException)) {
      cause = cause.getCause();
    }
    if (cause == null) {
      return String.valueOf(failure);
    }
    List<String> reasons = new ArrayList<>();
    OutputUnit unit = ((SchemaValidationException) cause).getOutputUnit();
    List<OutputUnit> errors = unit == null || unit.getErrors() == null ? List.of() : unit.getErrors();
    errors.forEach(e -> reasons.add(e.getInstanceLocation() + ": " + e.getError()));
    return reasons.isEmpty() ? cause.getMessage() : String.join("; ", reasons);
  }
}
