package io.caduceus.routing.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One version of a scope's keys: all of them as they stood after the change, the keys it changed
 * ({@code [{"key", "before", "after"}]}), who made it and when, and the version it restored, if it was a restore.
 */
public record ConfigVersion(int version, JsonObject settings, JsonArray diff, UUID changedBy, Instant changedAt,
                            Integer restoredFrom) {

  /** Maps a row of {@link ConfigSql#VERSION_COLUMNS}. */
  static ConfigVersion fromRow(Row row) {
    Object diff = row.getValue("diff");
    return new ConfigVersion(row.getInteger("version"), row.getJsonObject("settings"),
        diff instanceof JsonArray array ? array : new JsonArray(), row.getUUID("changed_by"),
        row.getOffsetDateTime("changed_at").toInstant(), row.getInteger("restored_from"));
  }

  /** The keys that differ between {@code before} and {@code after}, in name order. */
  static JsonArray diff(JsonObject before, JsonObject after) {
    TreeSet<String> keys = new TreeSet<>(before.fieldNames());
    keys.addAll(after.fieldNames());
    JsonArray diff = new JsonArray();
    for (String key : keys) {
      Object was = before.getValue(key);
      Object is = after.getValue(key);
      if (before.containsKey(key) != after.containsKey(key) || !Objects.equals(was, is)) {
        JsonObject change = new JsonObject().put("key", key);
        if (before.containsKey(key)) {
          change.put("before", was);
        }
        if (after.containsKey(key)) {
          change.put("after", is);
        }
        diff.add(change);
      }
    }
    return diff;
  }
}
