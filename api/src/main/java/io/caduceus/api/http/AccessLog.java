package io.caduceus.api.http;

import io.caduceus.routing.TenantContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Records every request once it ends: a timer labelled by operation id (the route template), status and tenant
 * id, and a structured log line with the request id. Neither carries the path, the query string or a body, so no
 * PHI reaches logs or metrics.
 */
public final class AccessLog implements PlatformHandler {

  private static final Logger LOG = LoggerFactory.getLogger("access");

  private final MeterRegistry registry;
  private final boolean logLines;
  private final boolean tenantLabel;
  private final Map<Labels, Timer> timers = new ConcurrentHashMap<>();

  private record Labels(String operation, int status, String tenant) {
  }

  public AccessLog(MeterRegistry registry, boolean logLines, boolean tenantLabel) {
    this.registry = registry;
    this.logLines = logLines;
    this.tenantLabel = tenantLabel;
  }

  @Override
  public void handle(RoutingContext rc) {
    long start = System.nanoTime();
    rc.addBodyEndHandler(ended -> record(rc, System.nanoTime() - start));
    rc.next();
  }

  private void record(RoutingContext rc, long nanos) {
    TenantContext ctx = rc.get(Requests.TENANT);
    String tenant = ctx == null ? "none" : ctx.tenantId().toString();
    String operation = operationId(rc);
    int status = rc.response().getStatusCode();
    timers.computeIfAbsent(new Labels(operation, status, tenantLabel ? tenant : "all"),
            l -> Timer.builder("caduceus.http.requests")
            .description("HTTP requests by operation, status and tenant")
            .tag("operation", l.operation())
            .tag("status", String.valueOf(l.status()))
            .tag("tenant", l.tenant())
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
    if (logLines) {
      LOG.info("request", kv("requestId", Requests.requestId(rc)), kv("tenantId", tenant),
          kv("userId", ctx == null ? null : ctx.userId()), kv("operation", operation),
          kv("method", rc.request().method().name()), kv("status", status),
          kv("durationMs", TimeUnit.NANOSECONDS.toMillis(nanos)));
    }
  }

  private static String operationId(RoutingContext rc) {
    Route route = rc.currentRoute();
    Object operation = route == null ? null : route.getMetadata(RouterBuilder.KEY_META_DATA_OPERATION);
    return operation instanceof Operation op ? op.getOperationId() : "unmatched";
  }
}
