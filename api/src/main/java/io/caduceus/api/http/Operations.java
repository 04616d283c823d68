package io.caduceus.api.http;

import io.caduceus.api.audit.AuditDeclaration;
import io.caduceus.api.audit.OperationAudit;
import io.caduceus.api.audit.OperationAudits;
import io.caduceus.routing.RequestStage;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Binds handlers to the contract's operations. Every operation first refuses text that cannot be stored
 * ({@link StorableText}); a secured operation then gets the tenant resolver and its quota, so the order on every
 * route is JWT → validation → storable text → tenant resolution → quota → module gate → audit record → handler →
 * audit settled → reply. The audit record is the operation's {@code x-caduceus-audit} ({@link AuditDeclaration}): the handler's
 * write transaction carries it, or it is recorded with the outcome before the reply leaves ({@link OperationAudit}).
 * {@link #requireAllBound} refuses to start a server in which any operation would answer vertx's silent 503, and
 * {@link #requireAllDeclared} one in which any operation leaves its audit record undeclared.
 */
public final class Operations {

  private static final StorableText STORABLE_TEXT = new StorableText();

  private final RouterBuilder builder;
  private final Handler<RoutingContext> tenantResolver;
  private final QuotaHandler quotas;
  private final OperationAudits audits;
  private final Map<String, Handler<RoutingContext>> schemeResolvers = new HashMap<>();
  private ModuleGate modules;

  public Operations(RouterBuilder builder, Handler<RoutingContext> tenantResolver, QuotaHandler quotas,
                    OperationAudits audits) {
    this.builder = builder;
    this.tenantResolver = tenantResolver;
    this.quotas = quotas;
    this.audits = audits;
  }

  /**
   * Resolves the tenant of the operations secured by {@code scheme} with {@code resolver} instead of the token
   * resolver: a credential that is no access token (a SCIM token) has its own resolution. Call before binding.
   */
  public Operations resolveWith(String scheme, Handler<RoutingContext> resolver) {
    schemeResolvers.put(scheme, resolver);
    return this;
  }

  /**
   * Gates every operation the contract marks with a module ({@link ModuleGate}) right after its tenant resolution and
   * quota; a refusal's audit record is opened here as every other is. Call before binding.
   */
  public Operations gateModules(ModuleGate gate) {
    this.modules = gate;
    return this;
  }

  /** Binds the handler of one operation: its reply is sent once the request's audit record has settled. */
  public void bind(String operationId, Function<RoutingContext, Future<Reply>> handler) {
    OpenAPIRoute route = prepared(operationId);
    Optional<AuditDeclaration> declared = AuditDeclaration.of(route.getOperation());
    route.addHandler(rc -> {
      OperationAudit audit = declared.map(d -> open(rc, d)).orElse(null);
      Future<Reply> reply;
      try {
        reply = RequestStages.start(rc, "handler").until(handler.apply(rc));
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      (audit == null ? reply : reply.transform(result -> RequestStages.start(rc, "audit settle")
          .until(audit.settle(rc.get(Requests.TENANT), result))))
          .onSuccess(r -> Replies.send(rc, r))
          .onFailure(rc::fail);
    });
  }

  /**
   * Binds a handler that writes its own response (a stream, a page that is not JSON). Its audit record, if the
   * contract declares one, is opened as for {@link #bind} and the handler settles it ({@link Requests#audit}).
   */
  public void bindRaw(String operationId, Handler<RoutingContext> handler) {
    OpenAPIRoute route = prepared(operationId);
    Optional<AuditDeclaration> audit = AuditDeclaration.of(route.getOperation());
    route.addHandler(rc -> {
      audit.ifPresent(d -> open(rc, d));
      handler.handle(rc);
    });
  }

  private OpenAPIRoute prepared(String operationId) {
    OpenAPIRoute route = Objects.requireNonNull(builder.getRoute(operationId),
        () -> "operation not in the contract: " + operationId);
    if (!route.getHandlers().isEmpty()) {
      throw new IllegalStateException("operation bound twice: " + operationId);
    }
    route.addHandler(RequestStages.routed(operationId));
    route.addHandler(STORABLE_TEXT);
    if (isCharged(route.getOperation())) {
      route.addHandler(resolverOf(route.getOperation()));
      route.addHandler(quotas.charging(quotas.cost(operationId, route.getOperation().getHttpMethod())));
      // After the quota: a refusal writes an audit row, so refusals are charged like any request.
      if (modules != null) {
        modules.of(route.getOperation(), this::open).ifPresent(route::addHandler);
      }
    }
    return route;
  }

  private Handler<RoutingContext> resolverOf(Operation operation) {
    return operation.getSecurityRequirements().stream().flatMap(r -> r.getNames().stream())
        .map(schemeResolvers::get).filter(Objects::nonNull).findFirst().orElse(tenantResolver);
  }

  /** Opens the request's audit record and joins the request's tenant context (if it has one) to it. */
  private OperationAudit open(RoutingContext rc, AuditDeclaration declared) {
    RequestStage opening = RequestStages.start(rc, "audit open");
    OperationAudit audit = audits.open(declared, rc.request().method(), pathUuid(rc, declared.idParameter()),
        pathUuid(rc, declared.patientParameter()), pathUuid(rc, declared.partnerParameter()));
    rc.put(Requests.AUDIT, audit);
    TenantContext ctx = rc.get(Requests.TENANT);
    if (ctx != null) {
      rc.put(Requests.TENANT, ctx.withAudit(audit));
    }
    opening.finish();
    return audit;
  }

  private static UUID pathUuid(RoutingContext rc, String parameter) {
    return parameter == null ? null : Requests.pathUuid(rc, parameter);
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

  /**
   * Fails when any operation of the contract declares no {@code x-caduceus-audit} (an action and an object, or
   * {@code none}), or declares one that is malformed, naming every such operation at once.
   */
  public void requireAllDeclared() {
    List<String> undeclared = new ArrayList<>();
    builder.getRoutes().stream()
        .map(OpenAPIRoute::getOperation)
        .sorted(Comparator.comparing(Operation::getOperationId))
        .forEach(operation -> {
          try {
            AuditDeclaration.of(operation);
          } catch (IllegalStateException e) {
            undeclared.add(e.getMessage());
          }
        });
    if (!undeclared.isEmpty()) {
      throw new IllegalStateException("operations without a valid " + AuditDeclaration.EXTENSION + ": " + undeclared);
    }
  }
}
