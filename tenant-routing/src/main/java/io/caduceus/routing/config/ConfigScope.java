package io.caduceus.routing.config;

import io.caduceus.routing.TenantId;

import java.util.Objects;
import java.util.UUID;

/**
 * One place a namespace's keys can be set: the global defaults, a region, a tenant, one of a tenant's facilities, or
 * one of its users. {@code id} is what a client sees (the region code, the tenant, facility or user id; empty for
 * global); {@link #key()} is how the control plane stores it, with a facility's or user's tenant in front.
 */
public record ConfigScope(ConfigLevel level, String id, TenantId tenant) {

  public ConfigScope {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(id, "id");
    if ((level == ConfigLevel.GLOBAL || level == ConfigLevel.REGION) != (tenant == null)) {
      throw new IllegalArgumentException("a tenant, facility or user scope names its tenant, no other does");
    }
  }

  /** The global defaults. */
  public static ConfigScope global() {
    return new ConfigScope(ConfigLevel.GLOBAL, "", null);
  }

  /** A region's values. */
  public static ConfigScope region(String code) {
    return new ConfigScope(ConfigLevel.REGION, code, null);
  }

  /** A tenant's own values. */
  public static ConfigScope tenant(TenantId tenant) {
    return new ConfigScope(ConfigLevel.TENANT, tenant.toString(), tenant);
  }

  /** A facility's values, in its tenant. */
  public static ConfigScope facility(TenantId tenant, UUID facility) {
    return new ConfigScope(ConfigLevel.FACILITY, facility.toString(), tenant);
  }

  /** A user's own values, in one tenant. */
  public static ConfigScope user(TenantId tenant, UUID user) {
    return new ConfigScope(ConfigLevel.USER, user.toString(), tenant);
  }

  /** The scope as stored: {@code ''}, the region, the tenant, or {@code <tenant>/<facility or user>}. */
  public String key() {
    return switch (level) {
      case GLOBAL, REGION, TENANT -> id;
      case FACILITY, USER -> tenant + "/" + id;
    };
  }

  /** The scope stored under {@code key} at {@code level}. */
  public static ConfigScope fromKey(ConfigLevel level, String key) {
    return switch (level) {
      case GLOBAL -> global();
      case REGION -> region(key);
      case TENANT -> tenant(TenantId.parse(key));
      case FACILITY -> facility(TenantId.parse(key.substring(0, key.indexOf('/'))),
          UUID.fromString(key.substring(key.indexOf('/') + 1)));
      case USER -> user(TenantId.parse(key.substring(0, key.indexOf('/'))),
          UUID.fromString(key.substring(key.indexOf('/') + 1)));
    };
  }
}
