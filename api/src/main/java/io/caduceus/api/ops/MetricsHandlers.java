package io.caduceus.api.ops;

import io.caduceus.api.boot.AppConfig;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.Unauthorized;
import io.caduceus.api.http.Operations;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The Prometheus scrape ({@code /metrics}). Labels never carry PHI, but tenant ids and their traffic are
 * platform-internal, so: with a scrape token configured, only a caller sending it; without one, only loopback
 * callers of the embedded demo; any other deployment without a token serves no metrics at all.
 */
public final class MetricsHandlers {

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final AppConfig.Metrics config;

  public MetricsHandlers(Vertx vertx, PrometheusMeterRegistry registry, AppConfig.Metrics config) {
    this.vertx = vertx;
    this.registry = registry;
    this.config = config;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bindRaw("getMetrics", this::scrape);
  }

  private void scrape(RoutingContext rc) {
    String address = rc.request().remoteAddress() == null ? null : rc.request().remoteAddress().hostAddress();
    RuntimeException refused = refusal(config, rc.request().getHeader("Authorization"), address);
    if (refused != null) {
      rc.fail(refused);
      return;
    }
    vertx.executeBlocking(registry::scrape, false)
        .onSuccess(text -> rc.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .end(text))
        .onFailure(rc::fail);
  }

  /** Why a caller gets no scrape (a problem to answer with), or null when it may have one. */
  static RuntimeException refusal(AppConfig.Metrics config, String authorization, String remoteAddress) {
    if (config.token() != null) {
      boolean tokenOk = authorization != null && MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8),
          ("Bearer " + config.token()).getBytes(StandardCharsets.UTF_8));
      return tokenOk ? null : new Unauthorized("send the metrics scrape token");
    }
    if (!config.loopbackWithoutToken()) {
      return new NotFound("metrics are off: this node has no scrape token (CADUCEUS_METRICS_TOKEN)");
    }
    return remoteAddress != null && isLoopback(remoteAddress) ? null
        : new Forbidden("without a scrape token, metrics are served to loopback callers only");
  }

  private static boolean isLoopback(String address) {
    return address.startsWith("127.") || "::1".equals(address) || "0:0:0:0:0:0:0:1".equals(address);
  }
}
