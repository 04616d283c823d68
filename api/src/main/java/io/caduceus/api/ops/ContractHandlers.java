package io.caduceus.api.ops;

import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.Unauthorized;
import io.caduceus.api.http.Contract;
import io.caduceus.api.http.Operations;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The published contract ({@code /openapi.yaml}), its Swagger UI ({@code /docs}) served from the webjar, and the
 * Prometheus scrape ({@code /metrics}).
 */
public final class ContractHandlers {

  private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'";
  private static final Map<String, String> ASSETS = Map.of(
      "swagger-ui.css", "text/css",
      "swagger-ui-bundle.js", "text/javascript",
      "swagger-ui-standalone-preset.js", "text/javascript",
      "favicon-32x32.png", "image/png",
      "init.js", "text/javascript");

  private final Vertx vertx;
  private final Contract contract;
  private final PrometheusMeterRegistry registry;
  private final String metricsToken;
  private final String webjarRoot;
  private final Map<String, Buffer> cache = new ConcurrentHashMap<>();

  public ContractHandlers(Vertx vertx, Contract contract, PrometheusMeterRegistry registry, String metricsToken,
                          String webjarRoot) {
    this.vertx = vertx;
    this.contract = contract;
    this.registry = registry;
    this.metricsToken = metricsToken;
    this.webjarRoot = webjarRoot;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("getContract", rc -> rc.response().putHeader("Content-Type", "application/yaml; charset=utf-8")
        .end(contract.yaml()));
    ops.bind("getDocs", rc -> asset("docs/index.html").onSuccess(html -> rc.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", CSP)
        .end(html)).onFailure(rc::fail));
    ops.bind("getDocsAsset", this::docsAsset);
    ops.bind("getMetrics", this::metrics);
  }

  /** The scrape: tenant ids and traffic patterns are platform-internal, so only loopback or the scrape token. */
  private void metrics(RoutingContext rc) {
    String authorization = rc.request().getHeader("Authorization");
    boolean tokenOk = metricsToken != null && authorization != null && MessageDigest.isEqual(
        authorization.getBytes(StandardCharsets.UTF_8), ("Bearer " + metricsToken).getBytes(StandardCharsets.UTF_8));
    boolean loopback = rc.request().remoteAddress() != null && isLoopback(rc.request().remoteAddress().hostAddress());
    if (!tokenOk && !(metricsToken == null && loopback)) {
      rc.fail(metricsToken == null ? new Forbidden("metrics are served to loopback callers only")
          : new Unauthorized("send the metrics scrape token"));
      return;
    }
    vertx.executeBlocking(registry::scrape, false)
        .onSuccess(text -> rc.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .end(text))
        .onFailure(rc::fail);
  }

  private static boolean isLoopback(String address) {
    return address.startsWith("127.") || "::1".equals(address) || "0:0:0:0:0:0:0:1".equals(address);
  }

  private void docsAsset(RoutingContext rc) {
    String name = rc.pathParam("asset");
    String type = ASSETS.get(name);
    if (type == null) {
      rc.fail(new NotFound("no such documentation asset"));
      return;
    }
    String path = "init.js".equals(name) ? "docs/init.js" : webjarRoot + name;
    asset(path).onSuccess(bytes -> rc.response()
            .putHeader("Content-Type", type)
            .putHeader("Cache-Control", "public, max-age=86400")
            .end(bytes))
        .onFailure(rc::fail);
  }

  private Future<Buffer> asset(String path) {
    Buffer cached = cache.get(path);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return vertx.executeBlocking(() -> {
      try (InputStream in = ContractHandlers.class.getClassLoader().getResourceAsStream(path)) {
        if (in == null) {
          throw new NotFound("no such documentation asset");
        }
        Buffer bytes = Buffer.buffer(in.readAllBytes());
        cache.put(path, bytes);
        return bytes;
      }
    }, false);
  }

  /** Where the Swagger UI webjar's files are on the classpath. Blocking (reads a resource): call it on a worker. */
  public static String webjarRoot() {
    try (InputStream in = ContractHandlers.class.getResourceAsStream("/docs/swagger-ui.properties")) {
      if (in == null) {
        throw new IOException("docs/swagger-ui.properties missing");
      }
      Properties p = new Properties();
      p.load(in);
      return "META-INF/resources/webjars/swagger-ui/" + p.getProperty("version") + "/";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
