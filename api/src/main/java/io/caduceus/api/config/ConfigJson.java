package io.caduceus.api.config;

import io.caduceus.routing.config.ConfigEntry;
import io.caduceus.routing.config.ConfigLevel;
import io.caduceus.routing.config.ConfigScope;
import io.caduceus.routing.config.ConfigVersion;
import io.vertx.core.json.JsonObject;

/** The configuration resources as the contract shows them. */
final class ConfigJson {

  private ConfigJson() {
  }

  /** One scope's keys ({@code ConfigLevelValues}). */
  static JsonObject entry(ConfigEntry e) {
    JsonObject json = scoped(new JsonObject().put("namespace", e.namespace()), e.scope())
        .put("version", e.version()).put("values", e.settings());
    if (e.updatedAt() != null) {
      json.put("updatedAt", e.updatedAt().toString());
    }
    if (e.updatedBy() != null) {
      json.put("updatedBy", e.updatedBy().toString());
    }
    return json;
  }

  /** One version of a scope ({@code ConfigVersion}). */
  static JsonObject version(ConfigVersion v) {
    JsonObject json = new JsonObject().put("version", v.version()).put("values", v.settings())
        .put("diff", v.diff()).put("changedAt", v.changedAt().toString());
    if (v.changedBy() != null) {
      json.put("changedBy", v.changedBy().toString());
    }
    if (v.restoredFrom() != null) {
      json.put("restoredFrom", v.restoredFrom());
    }
    return json;
  }

  /** One effective value and where it comes from: {@code default}, or the level (and scope) that sets it. */
  static JsonObject provenance(Object value, ConfigScope from) {
    JsonObject json = new JsonObject().put("value", value);
    return from == null ? json.put("level", "default") : scoped(json, from);
  }

  private static JsonObject scoped(JsonObject json, ConfigScope scope) {
    json.put("level", scope.level().wire());
    if (scope.level() != ConfigLevel.GLOBAL) {
      json.put("scopeId", scope.id());
    }
    return json;
  }
}
