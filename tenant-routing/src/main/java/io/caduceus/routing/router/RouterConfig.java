package io.caduceus.routing.router;

import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.web.CorsPolicy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The region router's configuration, read from {@code CADUCEUS_ROUTER_*} environment variables (and
 * {@code CADUCEUS_GLOBAL_DB_URL} for the control plane, as the app role). Only {@code CADUCEUS_ROUTER_NODES} and
 * the control plane are required:
 * <pre>
 * CADUCEUS_ROUTER_NODES="us=http://10.0.1.1:8080,http://10.0.1.2:8080;eu=http://10.1.1.1:8080"
 * </pre>
 *
 * @param home the region that serves the public routes no tenant owns (login, refresh, health, contract, docs)
 * @param healthFailures how many health checks in a row must fail before a node is taken as down
 * @param cors the web origins of the deployment ({@code CADUCEUS_CORS_ORIGINS}, {@code CADUCEUS_CORS_CREDENTIALS},
 *             as for the nodes), for the router's own answers
 */
public record RouterConfig(String host, int port, int instances, Map<String, List<URI>> nodes, String home,
                           DatabaseEndpoint controlPlane, int controlPlanePoolSize, Duration catalogTtl,
                           Duration healthInterval, Duration healthTimeout, int healthFailures,
                           Duration connectTimeout,
                           Duration requestTimeout, int poolSizePerNode, int bodyLimitBytes, String issuer,
                           Duration keyRefresh, CorsPolicy cors) {

  /** Reads the configuration from an environment; fails naming the variable that is missing or malformed. */
  public static RouterConfig fromEnv(Map<String, String> env) {
    Map<String, List<URI>> nodes = nodes(required(env, "CADUCEUS_ROUTER_NODES"));
    String home = env.getOrDefault("CADUCEUS_ROUTER_HOME_REGION", nodes.keySet().iterator().next());
    if (!nodes.containsKey(home)) {
      throw new IllegalArgumentException("CADUCEUS_ROUTER_HOME_REGION names a region without nodes: " + home);
    }
    return new RouterConfig(
        env.getOrDefault("CADUCEUS_ROUTER_HOST", "0.0.0.0"),
        intOf(env, "CADUCEUS_ROUTER_PORT", 8000),
        Math.max(1, intOf(env, "CADUCEUS_ROUTER_INSTANCES", Runtime.getRuntime().availableProcessors())),
        nodes,
        home,
        DatabaseEndpoint.parse(required(env, "CADUCEUS_GLOBAL_DB_URL")),
        intOf(env, "CADUCEUS_ROUTER_DB_POOL_SIZE", 4),
        Duration.ofSeconds(intOf(env, "CADUCEUS_ROUTER_CATALOG_TTL_SECONDS", 30)),
        Duration.ofMillis(intOf(env, "CADUCEUS_ROUTER_HEALTH_INTERVAL_MS", 2000)),
        Duration.ofMillis(intOf(env, "CADUCEUS_ROUTER_HEALTH_TIMEOUT_MS", 1000)),
        Math.max(1, intOf(env, "CADUCEUS_ROUTER_HEALTH_FAILURES", 3)),
        Duration.ofMillis(intOf(env, "CADUCEUS_ROUTER_CONNECT_TIMEOUT_MS", 1000)),
        Duration.ofMillis(intOf(env, "CADUCEUS_ROUTER_REQUEST_TIMEOUT_MS", 30_000)),
        intOf(env, "CADUCEUS_ROUTER_POOL_SIZE", 64),
        intOf(env, "CADUCEUS_ROUTER_BODY_LIMIT_BYTES", 1_048_576),
        env.getOrDefault("CADUCEUS_ROUTER_TOKEN_ISSUER", "caduceus"),
        Duration.ofSeconds(intOf(env, "CADUCEUS_ROUTER_KEY_REFRESH_SECONDS", 60)),
        CorsPolicy.of(List.of(env.getOrDefault("CADUCEUS_CORS_ORIGINS", "").split(",")),
            Boolean.parseBoolean(env.getOrDefault("CADUCEUS_CORS_CREDENTIALS", "false").trim())));
  }

  /** Whole seconds a client should wait before retrying a region that has no healthy node. */
  public long retryAfterSeconds() {
    return Math.max(1, (healthInterval.toMillis() + 999) / 1000);
  }

  /** Parses {@code region=url,url;region=url}, keeping the order given. */
  static Map<String, List<URI>> nodes(String spec) {
    Map<String, List<URI>> nodes = new LinkedHashMap<>();
    for (String region : spec.split(";")) {
      if (region.isBlank()) {
        continue;
      }
      int eq = region.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("CADUCEUS_ROUTER_NODES: expected region=url[,url] but got " + region.trim());
      }
      String code = region.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      List<URI> urls = new ArrayList<>();
      for (String url : region.substring(eq + 1).split(",")) {
        if (!url.isBlank()) {
          urls.add(node(url.trim()));
        }
      }
      if (urls.isEmpty() || nodes.put(code, List.copyOf(urls)) != null) {
        throw new IllegalArgumentException("CADUCEUS_ROUTER_NODES: region " + code + " is empty or listed twice");
      }
    }
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("CADUCEUS_ROUTER_NODES names no region");
    }
    return nodes;
  }

  private static URI node(String url) {
    URI uri = URI.create(url);
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException("CADUCEUS_ROUTER_NODES: a node is http://host:port, not " + url);
    }
    return uri;
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required to run the region router");
    }
    return value;
  }

  private static int intOf(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    try {
      return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number");
    }
  }
}
