package io.caduceus.api.boot;

import io.caduceus.api.fhir.bulk.BulkLimits;
import io.caduceus.routing.web.CorsPolicy;
import io.caduceus.api.ops.ServerUrl;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.quota.Quota;
import io.caduceus.routing.quota.QuotaGate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves {@link AppConfig} from, in increasing precedence: built-in defaults, a JSON file
 * ({@code --config FILE} or {@code CADUCEUS_CONFIG}), and {@code CADUCEUS_*} environment variables.
 */
public final class ConfigLoader {

  private static final Map<String, String> DEFAULT_REGIONS = Map.of("us", "United States", "eu", "European Union");

  private ConfigLoader() {
  }

  /** Loads the configuration for the given command line and environment. */
  public static AppConfig load(String[] args, Map<String, String> env) {
    JsonObject file = readFile(configPath(args, env));
    return resolve(file, env);
  }

  /** Resolves a configuration from a JSON document and an environment. */
  public static AppConfig resolve(JsonObject json, Map<String, String> env) {
    JsonObject http = json.getJsonObject("http", new JsonObject());
    JsonObject db = json.getJsonObject("database", new JsonObject());
    JsonObject security = json.getJsonObject("security", new JsonObject());
    JsonObject audit = json.getJsonObject("audit", new JsonObject());
    JsonObject metrics = json.getJsonObject("metrics", new JsonObject());
    JsonObject exchange = json.getJsonObject("exchange", new JsonObject());

    int port = intOf(env.get("CADUCEUS_HTTP_PORT"), http.getInteger("port", 8080));
    String host = env.getOrDefault("CADUCEUS_HTTP_HOST", http.getString("host", "0.0.0.0"));
    String publicUrl = ServerUrl.validated(env.getOrDefault("CADUCEUS_PUBLIC_URL", http.getString("publicUrl", null)));
    int instances = intOf(env.get("CADUCEUS_HTTP_INSTANCES"),
        http.getInteger("instances", Runtime.getRuntime().availableProcessors()));
    Path dataDir = Path.of(env.getOrDefault("CADUCEUS_DATA_DIR", json.getString("dataDir", "caduceus-data")));

    String redisUrl = env.getOrDefault("CADUCEUS_REDIS_URL",
        json.getJsonObject("redis", new JsonObject()).getString("url", null));
    String redisPrefix = env.getOrDefault("CADUCEUS_REDIS_KEY_PREFIX",
        json.getJsonObject("redis", new JsonObject()).getString("keyPrefix", "cad:"));

    AppConfig.Database database = database(db, env);
    // Demo accounts have a published password: seeded by default only into the embedded, local-only setup.
    boolean seedDemo = boolOf(env.get("CADUCEUS_DEMO_SEED"),
        json.getJsonObject("demo", new JsonObject()).getBoolean("seed", database.embedded()));
    return new AppConfig(
        new AppConfig.Http(host, port, Math.max(1, instances), http.getInteger("bodyLimitBytes", 1_048_576), publicUrl,
            cors(http.getJsonObject("cors", new JsonObject()), env), list(env.get("CADUCEUS_TRUSTED_PROXIES"),
            http.getJsonArray("trustedProxies", new JsonArray()))),
        dataDir,
        database,
        redisUrl,
        redisPrefix,
        new AppConfig.Security(
            env.getOrDefault("CADUCEUS_MASTER_KEY", security.getString("masterKey", null)),
            Duration.ofSeconds(security.getLong("accessTokenTtlSeconds", 600L)),
            Duration.ofDays(security.getLong("refreshTokenTtlDays", 30L)),
            security.getString("issuer", "caduceus"),
            security.getInteger("loginFailuresBeforeThrottle", 5),
            security.getInteger("registrationsPerWindow", 5),
            Duration.ofSeconds(security.getLong("loginThrottleWindowSeconds", 900L))),
        seedDemo,
        boolOf(env.get("CADUCEUS_ACCESS_LOG"), json.getBoolean("accessLog", true)),
        new AppConfig.Audit(
            // The interval while there is nothing to seal; while there is, MaintenanceVerticle seals every 250 ms.
            Duration.ofMillis(audit.getLong("sealIntervalMs", 2000L)),
            audit.getInteger("sealBatchSize", 500)),
        new AppConfig.Metrics(
            blankToNull(env.getOrDefault("CADUCEUS_METRICS_TOKEN", metrics.getString("token", null))),
            boolOf(env.get("CADUCEUS_METRICS_TENANT_LABEL"), metrics.getBoolean("tenantLabel", true)),
            // Only the embedded demo, which nobody else reaches, serves loopback callers without a token.
            database.embedded()),
        new AppConfig.Exchange(
            exchange.getInteger("batchSize", 100),
            exchange.getInteger("maxAttempts", 12),
            Duration.ofMillis(exchange.getLong("retryBaseMs", 500L))),
        EngagementConfig.resolve(json.getJsonObject("engagement", new JsonObject()), env, publicUrl),
        quotas(json.getJsonObject("quotas", new JsonObject()), env),
        shutdown(json.getJsonObject("shutdown", new JsonObject()), env),
        bulk(json.getJsonObject("bulk", new JsonObject()), env));
  }

  /** Bulk Data export's limits: {@code bulk.*} in the file, {@code CADUCEUS_BULK_*} in the environment. */
  private static BulkLimits bulk(JsonObject b, Map<String, String> env) {
    BulkLimits d = BulkLimits.DEFAULTS;
    return new BulkLimits(
        intOf(env.get("CADUCEUS_BULK_ACTIVE_PER_TENANT"), b.getInteger("activePerTenant", d.activePerTenant())),
        intOf(env.get("CADUCEUS_BULK_ACTIVE_PER_REQUESTER"), b.getInteger("activePerRequester", d.activePerRequester())),
        intOf(env.get("CADUCEUS_BULK_RESOURCES_PER_FILE"), b.getInteger("resourcesPerFile", d.resourcesPerFile())),
        intOf(env.get("CADUCEUS_BULK_CHARS_PER_FILE"), b.getInteger("charsPerFile", d.charsPerFile())),
        intOf(env.get("CADUCEUS_BULK_RESOURCES_PER_JOB"), b.getInteger("resourcesPerJob", d.resourcesPerJob())));
  }

  private static AppConfig.Shutdown shutdown(JsonObject s, Map<String, String> env) {
    return new AppConfig.Shutdown(
        Duration.ofMillis(Math.max(0, intOf(env.get("CADUCEUS_SHUTDOWN_UNREADY_MS"), s.getInteger("unreadyMs", 0)))),
        Duration.ofMillis(Math.max(0, intOf(env.get("CADUCEUS_SHUTDOWN_DRAIN_MS"), s.getInteger("drainMs", 20_000)))));
  }

  /** The browser origins: {@code CADUCEUS_CORS_ORIGINS} (comma-separated) or {@code http.cors.origins}. */
  private static CorsPolicy cors(JsonObject cors, Map<String, String> env) {
    return CorsPolicy.of(list(env.get("CADUCEUS_CORS_ORIGINS"), cors.getJsonArray("origins", new JsonArray())),
        boolOf(env.get("CADUCEUS_CORS_CREDENTIALS"), cors.getBoolean("allowCredentials", false)));
  }

  /** A comma-separated variable if set, else the file's array; blank entries dropped. */
  private static List<String> list(String variable, JsonArray fromFile) {
    List<String> values = variable != null ? Arrays.asList(variable.split(","))
        : fromFile.stream().map(String::valueOf).toList();
    return values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
  }

  private static AppConfig.Quotas quotas(JsonObject q, Map<String, String> env) {
    JsonObject tenant = q.getJsonObject("tenant", new JsonObject());
    JsonObject user = q.getJsonObject("user", new JsonObject());
    Map<String, Integer> costs = new LinkedHashMap<>();
    q.getJsonObject("costs", new JsonObject()).forEach(e -> costs.put(e.getKey(), ((Number) e.getValue()).intValue()));
    return new AppConfig.Quotas(boolOf(env.get("CADUCEUS_QUOTAS"), q.getBoolean("enabled", true)),
        new Quota(tenant.getDouble("perSecond", 200.0), tenant.getInteger("burst", 400)),
        new Quota(user.getDouble("perSecond", 50.0), user.getInteger("burst", 100)),
        q.getInteger("listCost", 5), q.getInteger("writeCost", 2), costs,
        QuotaGate.Fallback.valueOf(env.getOrDefault("CADUCEUS_QUOTA_FALLBACK", q.getString("fallback", "local"))
            .toUpperCase(Locale.ROOT)),
        intOf(env.get("CADUCEUS_NODES"), q.getInteger("expectedNodes", 1)));
  }

  private static AppConfig.Database database(JsonObject db, Map<String, String> env) {
    int poolSize = intOf(env.get("CADUCEUS_DB_POOL_SIZE"), db.getInteger("poolSize", 16));
    String superuser = env.getOrDefault("CADUCEUS_DB_SUPERUSER_URL", db.getString("superuserUrl", null));
    JsonObject global = db.getJsonObject("global", new JsonObject());
    String globalUrl = env.getOrDefault("CADUCEUS_GLOBAL_DB_URL", global.getString("url", null));
    Map<String, String> names = regionNames(db, env);
    if (globalUrl == null) {
      return new AppConfig.Database(true, names, null, null, Map.of(), Map.of(), null, poolSize);
    }
    DatabaseEndpoint globalApp = DatabaseEndpoint.parse(globalUrl);
    DatabaseEndpoint globalOwner = owner("control plane", globalApp, env.getOrDefault("CADUCEUS_GLOBAL_DB_OWNER_URL",
        global.getString("ownerUrl", null)));
    Map<String, DatabaseEndpoint> app = new LinkedHashMap<>();
    Map<String, DatabaseEndpoint> owner = new LinkedHashMap<>();
    JsonObject regions = db.getJsonObject("regions", new JsonObject());
    for (String code : names.keySet()) {
      String key = "CADUCEUS_REGION_" + code.toUpperCase(Locale.ROOT).replace('-', '_');
      JsonObject r = regions.getJsonObject(code, new JsonObject());
      String url = env.getOrDefault(key + "_DB_URL", r.getString("url", null));
      if (url == null) {
        throw new IllegalArgumentException("region " + code + " has no database URL (" + key + "_DB_URL)");
      }
      app.put(code, DatabaseEndpoint.parse(url));
      owner.put(code, owner("region " + code, app.get(code), env.getOrDefault(key + "_DB_OWNER_URL",
          r.getString("ownerUrl", null))));
    }
    return new AppConfig.Database(false, names, globalApp, globalOwner, app, owner,
        superuser == null ? null : DatabaseEndpoint.parse(superuser), poolSize);
  }

  /** The owner endpoint of a database: required, and a different role from the app's. */
  private static DatabaseEndpoint owner(String what, DatabaseEndpoint app, String ownerUrl) {
    if (ownerUrl == null) {
      throw new IllegalArgumentException("the " + what + " needs an owner URL (the role that runs migrations)");
    }
    DatabaseEndpoint owner = DatabaseEndpoint.parse(ownerUrl);
    if (owner.user().equals(app.user())) {
      throw new IllegalArgumentException("the " + what + " must be reached as two roles: the app role cannot be"
          + " the owner, or row-level security would not confine it");
    }
    return owner;
  }

  private static Map<String, String> regionNames(JsonObject db, Map<String, String> env) {
    Map<String, String> names = new LinkedHashMap<>();
    String list = env.get("CADUCEUS_REGIONS");
    JsonObject regions = db.getJsonObject("regions", new JsonObject());
    if (list != null && !list.isBlank()) {
      for (String code : list.split(",")) {
        String c = code.trim();
        names.put(c, DEFAULT_REGIONS.getOrDefault(c, c.toUpperCase(Locale.ROOT)));
      }
    } else if (!regions.isEmpty()) {
      regions.forEach(e -> names.put(e.getKey(),
          ((JsonObject) e.getValue()).getString("displayName", DEFAULT_REGIONS.getOrDefault(e.getKey(), e.getKey()))));
    } else {
      names.put("us", DEFAULT_REGIONS.get("us"));
      names.put("eu", DEFAULT_REGIONS.get("eu"));
    }
    return names;
  }

  private static Path configPath(String[] args, Map<String, String> env) {
    for (int i = 0; i + 1 < args.length; i++) {
      if ("--config".equals(args[i])) {
        return Path.of(args[i + 1]);
      }
    }
    String fromEnv = env.get("CADUCEUS_CONFIG");
    return fromEnv == null ? null : Path.of(fromEnv);
  }

  private static JsonObject readFile(Path path) {
    if (path == null) {
      return new JsonObject();
    }
    try {
      return new JsonObject(Files.readString(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + path, e);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static int intOf(String value, int fallback) {
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }

  private static boolean boolOf(String value, boolean fallback) {
    return value == null || value.isBlank() ? fallback : Boolean.parseBoolean(value.trim());
  }
}
