package io.caduceus.api.config;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.UTF_8;

/** The configuration namespaces this build ships, each from {@code config/namespaces/<name>.json}. */
public final class ConfigNamespaces {

  /** Every shipped namespace; adding one is a schema file and its name here. */
  static final List<String> SHIPPED = List.of("general", "scheduling", "security", "engagement", "quotas", "telehealth",
      "portal");

  private final Map<String, ConfigNamespace> byName;

  private ConfigNamespaces(Map<String, ConfigNamespace> byName) {
    this.byName = Map.copyOf(byName);
  }

  /** Reads and checks the shipped schemas (blocking: run it on a worker); a broken file fails the start. */
  public static ConfigNamespaces shipped() {
    Map<String, ConfigNamespace> byName = new LinkedHashMap<>();
    for (String name : SHIPPED) {
      byName.put(name, ConfigNamespace.of(name, read("config/namespaces/" + name + ".json")));
    }
    return new ConfigNamespaces(byName);
  }

  /**
   * These namespaces with some of {@code namespace}'s defaults replaced by {@code defaults}: where the node's own
   * configuration sets them (the request quotas), the effective view shows what the node applies.
   */
  public ConfigNamespaces withDefaults(String namespace, JsonObject defaults) {
    Map<String, ConfigNamespace> changed = new LinkedHashMap<>(byName);
    changed.computeIfPresent(namespace, (name, ns) -> ns.withDefaults(defaults));
    return new ConfigNamespaces(changed);
  }

  /** The namespace called {@code name}, if there is one. */
  public Optional<ConfigNamespace> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  private static JsonObject read(String resource) {
    try (InputStream in = ConfigNamespaces.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no configuration schema " + resource);
      }
      return new JsonObject(new String(in.readAllBytes(), UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
