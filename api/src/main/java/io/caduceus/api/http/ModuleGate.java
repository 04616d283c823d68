package io.caduceus.api.http;

import io.caduceus.api.error.Forbidden;
import io.caduceus.api.flags.FeatureState;
import io.caduceus.api.flags.ProductModule;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Operation;

import java.util.Optional;

/**
 * The one place modules gate requests: an operation the contract marks {@code x-caduceus-module: <module>} answers
 * 403 {@code module-disabled} naming the module when the request's tenant does not have it on. It runs right after
 * tenant resolution and reads this node's in-memory {@link FeatureState}, so it costs no I/O. No handler checks
 * modules itself.
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

  /** The gate of an operation, if it belongs to a module. */
  public Optional<Handler<RoutingContext>> of(Operation operation) {
    return moduleOf(operation).map(module -> rc -> {
      TenantContext ctx = rc.get(Requests.TENANT);
      if (ctx != null && !state.moduleOn(ctx.tenantId().value(), module)) {
        rc.fail(Forbidden.moduleDisabled(module.wire()));
      } else {
        rc.next();
      }
    });
  }
}
