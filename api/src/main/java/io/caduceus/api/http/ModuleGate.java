package io.caduceus.api.http;

import io.caduceus.api.audit.AuditDeclaration;
import io.caduceus.api.audit.OperationAudit;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.flags.FeatureState;
import io.caduceus.api.flags.ProductModule;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Operation;

import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The one place modules gate requests: an operation the contract marks {@code x-caduceus-module: <module>} answers
 * 403 {@code module-disabled} naming the module when the request's tenant does not have it on. It runs after
 * tenant resolution and the quota (a refusal writes a row, so it is charged) and reads this node's in-memory {@link FeatureState}, so a request it lets through costs no I/O.
 * A refusal is audited as any denied request is ({@link OperationAudit#settle}): a row {@code module.denied}, outcome
 * denied, whose object is the module, whatever the operation declares (also {@code none}: an attempt on a module the
 * tenant has off is worth a record). No handler checks modules itself.
 */
public final class ModuleGate {

  /** The contract's mark. */
  public static final String MARK = "x-caduceus-module";

  private final FeatureState state;

  public ModuleGate(FeatureState state) {
    this.state = state;
  }

  /** The module an operation is marked with; start-up fails on a mark that names no module. */
  public static Optional<ProductModule> moduleOf(Operation operation) {
    String mark = operation.getOpenAPIModel().getString(MARK);
    if (mark == null) {
      return Optional.empty();
    }
    return Optional.of(ProductModule.fromWire(mark).orElseThrow(() -> new IllegalStateException(
        "operation " + operation.getOperationId() + " is marked with an unknown module: " + mark)));
  }

  /**
   * The gate of an operation, if it belongs to a module; {@code records} opens the audit record of a request (as
   * {@link Operations} opens every record) for the refusal's declaration.
   */
  public Optional<Handler<RoutingContext>> of(Operation operation,
                                              BiFunction<RoutingContext, AuditDeclaration, OperationAudit> records) {
    return moduleOf(operation).map(module -> {
      AuditDeclaration refusal = AuditDeclaration.moduleDenied(module.wire(), AuditDeclaration.of(operation));
      return rc -> {
        TenantContext ctx = rc.get(Requests.TENANT);
        if (ctx == null || state.moduleOn(ctx.tenantId().value(), module)) {
          rc.next();
          return;
        }
        OperationAudit audit = records.apply(rc, refusal);
        audit.settle(rc.get(Requests.TENANT), Future.failedFuture(Forbidden.moduleDisabled(module.wire())))
            .onFailure(rc::fail);
      };
    });
  }
}
