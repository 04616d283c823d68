package io.caduceus.routing.config;

import java.util.Arrays;

/** Where a configuration value is set, from the least specific to the most: the most specific wins, key by key. */
public enum ConfigLevel {
  GLOBAL, REGION, TENANT, FACILITY, USER;

  /** The level's name on the wire and in the control plane. */
  public String wire() {
    return name().toLowerCase();
  }

  /** The level named {@code wire}, or {@link IllegalArgumentException}. */
  public static ConfigLevel fromWire(String wire) {
    return Arrays.stream(values()).filter(l -> l.wire().equals(wire)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no such configuration level"));
  }
}
