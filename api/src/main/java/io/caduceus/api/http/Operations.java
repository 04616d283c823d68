package io.caduceus.api.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Binds handlers to the contract's operations. Every operation first refuses text that cannot be stored
 * ({@link StorableText}); a secured operation then gets the tenant resolver, so the order on every route is
 * JWT → validation → storable text → tenant resolution → handler. {@link #requireAllBound} refuses to
 * start a server in which any operation would answer vertx's silent 503.
 */
public final class Operations {

  private static final StorableText STORABLE_TEXT = new StorableText();

  private final RouterBuilder builder;
  private final Handler<RoutingContext> tenantResolver;
  private final QuotaHandler quotas;

  public Operations(RouterBuilder builder, Handler<RoutingContext> tenantResolver, QuotaHandler quotas) {
    this.builder = builder;
    this.tenantResolver = tenantResolver;
    this.quotas = quotas;
  }

  /** Binds the handler of one operation. */
  public void bind(String operationId, Handler<RoutingContext> handler) {
    OpenAPIRoute route = Objects.requireNonNull(builder.getRoute(operationId),
        () -> "operation not in the contract: " + operationId);
    if (!route.getHandlers().isEmpty()) {
      throw new IllegalStateException("operation bound twice: " + operationId);
    }
    route.addHandler(STORABLE_TEXT);
    if (isCharged(route.getOperation())) {
      route.addHandler(tenantResolver);
      route.addHandler(quotas.charging(quotas.cost(operationId, route.getOperation().getHttpMethod())));
    }
    route.addHandler(handler);
  }

  /**
   * Whether an operation acts for a tenant, and so is charged to its quotas: every operation that needs a token.
   * The contract must declare 429 on each (a test holds it to that).
   */
  public static boolean isCharged(Operation operation) {
    return !operation.getSecurityRequirements().isEmpty();
  }

  /** Fails when any operation of the contract has no handler. */
  public void requireAllBound() {
    List<String> unbound = builder.getRoutes().stream()
        .filter(r -> r.getHandlers().isEmpty())
        .map(r -> r.getOperation().getOperationId())
        .sorted()
        .collect(Collectors.toList());
    if (!unbound.isEmpty()) {
      throw new IllegalStateException("operations without a handler: " + unbound);
    }
  }
}
