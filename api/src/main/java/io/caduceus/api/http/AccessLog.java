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

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Records every request once it ends: a timer labelled by operation id (the route template) and status, with
 * latency buckets for SLO queries ({@code caduceus_http_requests_seconds_bucket}); optionally a bucket-less timer per
 * tenant, operation and status; and a structured log line with the request id. None carries the path, the query
 * string or a body, so no PHI reaches logs or metrics, and the bucketed series stay bounded by the contract's
 * operations and the status codes, whatever the number of tenants.
 */
public final class AccessLog implements PlatformHandler {

  /** The label of a request served outside the contract's operations (the live socket's upgrade). */
  public static final String OPERATION = "caduceus.operation";
  /**
   * Under this key an {@link IntConsumer} records the request now with the given status: a WebSocket upgrade ends
   * no response body, so its handler records the 101 itself.
   */
  public static final String RECORD_NOW = "caduceus.access.record";
  private static final Logger LOG = LoggerFactory.getLogger("access");
  /** Latency bucket boundaries: fine where API SLOs sit (tens to hundreds of ms), coarse in the tail. */
  static final Duration[] SLO_BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000)
      .map(Duration::ofMillis).toArray(Duration[]::new);

  private final MeterRegistry registry;
  private final boolean logLines;
  private final boolean tenantLabel;
  private final Map<Labels, Timer> timers = new ConcurrentHashMap<>();
  private final Map<TenantLabels, Timer> tenantTimers = new ConcurrentHashMap<>();

  private record Labels(String operation, int status) {
  }

  private record TenantLabels(String operation, int status, String tenant) {
  }

  public AccessLog(MeterRegistry registry, boolean logLines, boolean tenantLabel) {
    this.registry = registry;
    this.logLines = logLines;
    this.tenantLabel = tenantLabel;
  }

  @Override
  public void handle(RoutingContext rc) {
    long start = System.nanoTime();
    rc.addBodyEndHandler(ended -> record(rc, System.nanoTime() - start, rc.response().getStatusCode()));
    rc.put(RECORD_NOW, (IntConsumer) status -> record(rc, System.nanoTime() - start, status));
    rc.next();
  }

  private void record(RoutingContext rc, long nanos, int status) {
    TenantContext ctx = rc.get(Requests.TENANT);
    String operation = operationId(rc);
    timers.computeIfAbsent(new Labels(operation, status), l -> Timer.builder("caduceus.http.requests")
            .description("HTTP requests by operation and status")
            .tag("operation", l.operation())
            .tag("status", String.valueOf(l.status()))
            .serviceLevelObjectives(SLO_BUCKETS)
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
    String tenant = !tenantLabel && !logLines ? null : ctx == null ? "none" : ctx.tenantId().toString();
    if (tenantLabel) {
      tenantTimers.computeIfAbsent(new TenantLabels(operation, status, tenant),
              l -> Timer.builder("caduceus.http.tenant.requests")
              .description("HTTP requests by tenant, operation and status (no buckets: one series per tenant)")
              .tag("operation", l.operation())
              .tag("status", String.valueOf(l.status()))
              .tag("tenant", l.tenant())
              .register(registry))
          .record(nanos, TimeUnit.NANOSECONDS);
    }
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
    String named = rc.get(OPERATION);
    return operation instanceof Operation op ? op.getOperationId() : named != null ? named : "unmatched";
  }
}
