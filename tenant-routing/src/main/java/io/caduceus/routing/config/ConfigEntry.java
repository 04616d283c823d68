package io.caduceus.routing.config;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/** The keys a namespace sets at one scope, at a version; version 0 means nothing was ever set there. */
public record ConfigEntry(String namespace, ConfigScope scope, JsonObject settings, int version, Instant updatedAt,
                          UUID updatedBy) {

  /** A scope where nothing was ever set. */
  public static ConfigEntry empty(String namespace, ConfigScope scope) {
    return new ConfigEntry(namespace, scope, new JsonObject(), 0, null, null);
  }

  /** Maps a row of {@link ConfigSql#ENTRY_COLUMNS}. */
  static ConfigEntry fromRow(Row row) {
    return new ConfigEntry(row.getString("namespace"),
        ConfigScope.fromKey(ConfigLevel.fromWire(row.getString("level")), row.getString("scope_id")),
        row.getJsonObject("settings"), row.getInteger("version"), row.getOffsetDateTime("updated_at").toInstant(),
        row.getUUID("updated_by"));
  }

  /** The key this entry is cached under: namespace, level and stored scope. */
  String cacheKey() {
    return ConfigStore.cacheKey(namespace, scope.level(), scope.key());
  }
}
