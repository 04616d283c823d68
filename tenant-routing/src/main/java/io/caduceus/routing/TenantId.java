package io.caduceus.routing;

import java.util.Objects;
import java.util.UUID;

/** The identity of a tenant: an opaque UUID that every tenant-owned row carries first in its key. */
public record TenantId(UUID value) {

  public TenantId {
    Objects.requireNonNull(value, "tenant id");
  }

  /** Parses a tenant id, failing with {@link IllegalArgumentException} when the text is not a UUID. */
  public static TenantId parse(String text) {
    return new TenantId(UUID.fromString(text));
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
