package io.caduceus.routing.config;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The configuration store in the control plane: every namespace's keys at every scope, each change a new version
 * with its diff, who and when. Every write goes through {@link #write}, which also announces the change on
 * {@link #CHANNEL} when it commits (every node's {@link ConfigView} re-reads it) and keeps the tenant columns that
 * mirror "general" equal to their effective values. It checks no schema and no permission: callers do.
 */
public final class ConfigStore {

  /** The control-plane channel a change is announced on; the payload is {@code namespace|level|scope key}. */
  public static final String CHANNEL = "caduceus_config";
  /** The namespace whose locale, time zone and branding the tenant columns mirror. */
  public static final String GENERAL = "general";
  /** The locale and time zone of a tenant when no level sets them (as {@code general.json} declares). */
  public static final String DEFAULT_LOCALE = "en-US";
  public static final String DEFAULT_TIME_ZONE = "UTC";

  private final ControlPlane controlPlane;
  private final TenantCatalog catalog;

  public ConfigStore(ControlPlane controlPlane, TenantCatalog catalog) {
    this.controlPlane = controlPlane;
    this.catalog = catalog;
  }

  /** The namespace's keys at {@code scope}, read now; version 0 when nothing was set there. */
  public Future<ConfigEntry> entry(String namespace, ConfigScope scope) {
    return entry(controlPlane.pool(), namespace, scope);
  }

  /** As {@link #entry(String, ConfigScope)}, inside the caller's transaction. */
  public Future<ConfigEntry> entry(SqlClient client, String namespace, ConfigScope scope) {
    return client.preparedQuery(ConfigSql.FIND).execute(key(namespace, scope))
        .map(rows -> first(rows).orElseGet(() -> ConfigEntry.empty(namespace, scope)));
  }

  /** Every entry of every namespace and scope, for a node's view. */
  public Future<List<ConfigEntry>> all() {
    return controlPlane.pool().query(ConfigSql.ALL).execute().map(rows -> {
      List<ConfigEntry> entries = new ArrayList<>();
      rows.forEach(row -> entries.add(ConfigEntry.fromRow(row)));
      return entries;
    });
  }

  /** The entry named by a {@link #CHANNEL} payload, read now; empty when there is none. */
  Future<Optional<ConfigEntry>> changed(String payload) {
    String[] parts = payload.split("\\|", 3);
    return controlPlane.pool().preparedQuery(ConfigSql.FIND).execute(Tuple.of(parts[0], parts[1], parts[2]))
        .map(ConfigStore::first);
  }

  /**
   * Replaces the keys at {@code scope} with {@code settings} if the scope is at {@code expectedVersion}: a new
   * version, recorded with its diff, {@code by} and, for a restore, the version restored. Empty when the scope has
   * moved on. In its own control-plane transaction.
   */
  public Future<Optional<ConfigEntry>> write(String namespace, ConfigScope scope, int expectedVersion,
                                             JsonObject settings, UUID by, Integer restoredFrom) {
    return controlPlane.inTransaction(conn -> write(conn, namespace, scope, expectedVersion, settings, by,
        restoredFrom));
  }

  /** As {@link #write(String, ConfigScope, int, JsonObject, UUID, Integer)}, inside the caller's transaction. */
  public Future<Optional<ConfigEntry>> write(SqlConnection conn, String namespace, ConfigScope scope,
                                             int expectedVersion, JsonObject settings, UUID by,
                                             Integer restoredFrom) {
    return conn.preparedQuery(ConfigSql.LOCK).execute(key(namespace, scope))
        .map(rows -> first(rows).orElseGet(() -> ConfigEntry.empty(namespace, scope)))
        .compose(current -> current.version() != expectedVersion ? Future.succeededFuture(Optional.empty())
            : upsert(conn, current, settings, by, restoredFrom));
  }

  /**
   * Sets {@code changes} over the keys at {@code scope}, whatever its version, as a new version: for the older
   * settings endpoints, which check their own preconditions. Inside the caller's transaction.
   */
  public Future<ConfigEntry> merge(SqlConnection conn, String namespace, ConfigScope scope, JsonObject changes,
                                   UUID by) {
    return conn.preparedQuery(ConfigSql.LOCK).execute(key(namespace, scope))
        .map(rows -> first(rows).orElseGet(() -> ConfigEntry.empty(namespace, scope)))
        .compose(current -> upsert(conn, current, current.settings().copy().mergeIn(changes), by, null))
        .map(written -> written.orElseThrow(() -> new IllegalStateException("a concurrent first write")));
  }

  /**
   * The keys a tenant's global, region and tenant levels set, the most specific winning key by key (no schema
   * defaults), read now.
   */
  public Future<JsonObject> tenantKeys(String namespace, TenantId tenant) {
    return controlPlane.pool().preparedQuery(ConfigSql.TENANT_LAYERS).execute(Tuple.of(namespace, tenant.value()))
        .map(rows -> {
          JsonObject merged = new JsonObject();
          rows.forEach(row -> merged.mergeIn(row.getJsonObject("settings")));
          return merged;
        });
  }

  /** Seeds a new (or imported) tenant's "general" keys from its catalog columns, inside the caller's transaction. */
  public static Future<Void> seedGeneral(SqlConnection conn, TenantId tenant, String locale, String timeZone,
                                         JsonObject branding) {
    JsonObject settings = new JsonObject().put("locale", locale).put("timeZone", timeZone);
    if (branding != null && !branding.isEmpty()) {
      settings.put("branding", branding);
    }
    return seed(conn, GENERAL, tenant, settings);
  }

  /**
   * Version 1 of a tenant's keys of {@code namespace}, brought from where they were kept before; a tenant that
   * already has that namespace's tenant level keeps it. Inside the caller's transaction, or alone on the pool.
   */
  public static Future<Void> seed(SqlClient client, String namespace, TenantId tenant, JsonObject settings) {
    return client.preparedQuery(ConfigSql.SEED_TENANT)
        .execute(Tuple.of(tenant.value(), settings, ConfigVersion.diff(new JsonObject(), settings), namespace))
        .compose(v -> client.preparedQuery(ConfigSql.NOTIFY)
            .execute(Tuple.of(CHANNEL, cacheKey(namespace, ConfigLevel.TENANT, tenant.toString()))))
        .mapEmpty();
  }

  /** As {@link #seed(SqlClient, String, TenantId, JsonObject)}, on the control plane. */
  public Future<Void> seed(String namespace, TenantId tenant, JsonObject settings) {
    return seed(controlPlane.pool(), namespace, tenant, settings);
  }

  /** As {@link #merge(SqlConnection, String, ConfigScope, JsonObject, UUID)}, in its own transaction. */
  public Future<ConfigEntry> merge(String namespace, ConfigScope scope, JsonObject changes, UUID by) {
    return controlPlane.inTransaction(conn -> merge(conn, namespace, scope, changes, by));
  }

  /** The newest versions of a scope first, at most {@code limit}. */
  public Future<List<ConfigVersion>> versions(String namespace, ConfigScope scope, int limit) {
    return controlPlane.pool().preparedQuery(ConfigSql.VERSIONS)
        .execute(key(namespace, scope).addInteger(limit)).map(rows -> {
          List<ConfigVersion> versions = new ArrayList<>();
          rows.forEach(row -> versions.add(ConfigVersion.fromRow(row)));
          return versions;
        });
  }

  /** One version of a scope. */
  public Future<Optional<ConfigVersion>> version(String namespace, ConfigScope scope, int version) {
    return controlPlane.pool().preparedQuery(ConfigSql.VERSION).execute(key(namespace, scope).addInteger(version))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(ConfigVersion.fromRow(rows.iterator().next())));
  }

  static String cacheKey(String namespace, ConfigLevel level, String scopeKey) {
    return namespace + "|" + level.wire() + "|" + scopeKey;
  }

  private Future<Optional<ConfigEntry>> upsert(SqlConnection conn, ConfigEntry current, JsonObject settings,
                                               UUID by, Integer restoredFrom) {
    ConfigScope scope = current.scope();
    String namespace = current.namespace();
    UUID tenant = scope.tenant() == null ? null : scope.tenant().value();
    JsonArray diff = ConfigVersion.diff(current.settings(), settings);
    return conn.preparedQuery(ConfigSql.UPSERT).execute(Tuple.from(new Object[] {namespace, scope.level().wire(),
            scope.key(), tenant, settings, current.version(), by}))
        .compose(rows -> {
          Optional<ConfigEntry> written = first(rows);
          if (written.isEmpty()) {
            return Future.succeededFuture(written);
          }
          ConfigEntry entry = written.get();
          return conn.preparedQuery(ConfigSql.ADD_VERSION).execute(Tuple.from(new Object[] {namespace,
                  scope.level().wire(), scope.key(), entry.version(), tenant, settings, diff, by, restoredFrom}))
              .compose(v -> syncGeneral(conn, namespace, scope))
              .compose(v -> conn.preparedQuery(ConfigSql.NOTIFY)
                  .execute(Tuple.of(CHANNEL, cacheKey(namespace, scope.level(), scope.key()))))
              .map(v -> written);
        });
  }

  /** Mirrors a change of "general" at the global, region or tenant level into the tenant columns it reaches. */
  private Future<Void> syncGeneral(SqlConnection conn, String namespace, ConfigScope scope) {
    if (!GENERAL.equals(namespace) || scope.level() == ConfigLevel.FACILITY || scope.level() == ConfigLevel.USER) {
      return Future.succeededFuture();
    }
    UUID tenant = scope.level() == ConfigLevel.TENANT ? scope.tenant().value() : null;
    String region = scope.level() == ConfigLevel.REGION ? scope.id() : null;
    return conn.preparedQuery(ConfigSql.SYNC_GENERAL)
        .execute(Tuple.of(tenant, region, DEFAULT_LOCALE, DEFAULT_TIME_ZONE))
        .map(rows -> {
          rows.forEach(row -> catalog.invalidate(new TenantId(row.getUUID("id"))));
          return null;
        });
  }

  private static Tuple key(String namespace, ConfigScope scope) {
    return Tuple.of(namespace, scope.level().wire(), scope.key());
  }

  private static Optional<ConfigEntry> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(ConfigEntry.fromRow(rows.iterator().next()));
  }
}
