package io.caduceus.api.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.Operation;

import java.util.List;
import java.util.Optional;

/**
 * What an operation of the contract records in the audit trail, from its {@code x-caduceus-audit} extension:
 *
 * <pre>
 * x-caduceus-audit:
 *   action: patient.read            # or a list, when the request decides which one happened
 *   object: patient                 # the kind of object it touches
 *   id: patientId                   # optional: the path parameter naming the object
 *   patient: patientId              # optional: the path parameter naming the patient
 *   partner: tenantId               # optional: the path parameter naming the other tenant the request acts on
 * x-caduceus-audit: none            # an operation that reads and changes no tenant data
 * </pre>
 *
 * Every operation declares one or the other; start-up fails on an operation that declares neither.
 */
public record AuditDeclaration(List<String> actions, String object, String idParameter, String patientParameter,
                               String partnerParameter) {

  public static final String EXTENSION = "x-caduceus-audit";
  /** The action of a request refused because the tenant has the operation's module off. */
  public static final String MODULE_DENIED = "module.denied";

  public AuditDeclaration {
    actions = List.copyOf(actions);
    if (actions.isEmpty() || object == null || object.isBlank()) {
      throw new IllegalArgumentException(EXTENSION + " needs an action and an object");
    }
  }

  /** The operation's declaration, or empty for {@code none}; fails for an operation that declares nothing. */
  public static Optional<AuditDeclaration> of(Operation operation) {
    return of(operation.getOperationId(), operation.getOpenAPIModel());
  }

  /** The declaration in an operation's model as the contract's document has it ({@link #of(Operation)}). */
  public static Optional<AuditDeclaration> of(String operationId, JsonObject operationModel) {
    Object declared = operationModel.getValue(EXTENSION);
    if ("none".equals(declared)) {
      return Optional.empty();
    }
    if (!(declared instanceof JsonObject json)) {
      throw new IllegalStateException("operation " + operationId + " declares no " + EXTENSION
          + " (an action and an object, or none)");
    }
    Object action = json.getValue("action");
    List<String> actions = action instanceof JsonArray list
        ? list.stream().map(String::valueOf).toList()
        : action == null ? List.of() : List.of(String.valueOf(action));
    try {
      return Optional.of(new AuditDeclaration(actions, json.getString("object"), json.getString("id"),
          json.getString("patient"), json.getString("partner")));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("operation " + operationId + ": " + e.getMessage());
    }
  }

  /**
   * The record of a request its module refused ({@link #MODULE_DENIED}): the module is its object, and it names what
   * the operation's own declaration, if any, names from the path (the object's id, the patient, the other tenant).
   */
  public static AuditDeclaration moduleDenied(String module, Optional<AuditDeclaration> declared) {
    return new AuditDeclaration(List.of(MODULE_DENIED), module, declared.map(AuditDeclaration::idParameter).orElse(null),
        declared.map(AuditDeclaration::patientParameter).orElse(null),
        declared.map(AuditDeclaration::partnerParameter).orElse(null));
  }

  /** The action recorded when the request does not say which of several happened: the first declared. */
  public String defaultAction() {
    return actions.get(0);
  }
}
