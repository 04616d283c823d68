package io.caduceus.api.config;

import io.caduceus.routing.TenantId;
import io.caduceus.routing.config.ConfigScope;
import io.caduceus.routing.config.ConfigView;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The values of a namespace in effect for a tenant, for the code that honours them on the request path: the
 * schema's defaults under its global, region, tenant, facility and user levels, the most specific winning key by key. Read from this
 * node's view, so it never waits on I/O; a change reaches it within about a second (at once on the node that made it).
 */
public final class EffectiveConfig {

  private final ConfigNamespaces namespaces;
  private final ConfigView view;

  public EffectiveConfig(ConfigNamespaces namespaces, ConfigView view) {
    this.namespaces = namespaces;
    this.view = view;
  }

  /** The keys in effect for {@code tenant}, which lives in {@code region}. */
  public JsonObject of(String namespace, TenantId tenant, String region) {
    return merged(namespace, region, tenant, null, null, true);
  }

  /** The keys in effect for every tenant of {@code region} that sets none of its own. */
  public JsonObject ofRegion(String namespace, String region) {
    return merged(namespace, region, null, null, null, true);
  }

  /**
   * The keys in effect for {@code user} at {@code facility} of {@code tenant} (either may be null), the most
   * specific level winning: user, facility, tenant, region, global, the schema's defaults.
   */
  public JsonObject of(String namespace, TenantId tenant, String region, UUID facility, UUID user) {
    return merged(namespace, region, tenant, facility, user, true);
  }

  /** As {@link #of(String, TenantId, String, UUID, UUID)}, but only the keys some level sets (no schema default). */
  public JsonObject setFor(String namespace, TenantId tenant, String region, UUID facility, UUID user) {
    return merged(namespace, region, tenant, facility, user, false);
  }

  private JsonObject merged(String namespace, String region, TenantId tenant, UUID facility, UUID user,
                            boolean withDefaults) {
    ConfigNamespace ns = namespaces.find(namespace)
        .orElseThrow(() -> new IllegalArgumentException("no configuration namespace " + namespace));
    List<ConfigScope> chain = new ArrayList<>(List.of(ConfigScope.global(), ConfigScope.region(region)));
    if (tenant != null) {
      chain.add(ConfigScope.tenant(tenant));
      if (facility != null) {
        chain.add(ConfigScope.facility(tenant, facility));
      }
      if (user != null) {
        chain.add(ConfigScope.user(tenant, user));
      }
    }
    JsonObject values = withDefaults ? ns.defaults() : new JsonObject();
    view.layers(namespace, chain.stream().filter(s -> ns.levels().contains(s.level())).toList())
        .forEach(layer -> values.mergeIn(layer.settings()));
    return values;
  }
}
