package io.caduceus.routing.router;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The regions the router forwards to, each with its nodes, and the home region of the tenant-less public routes. */
public final class Topology {

  private final Map<String, RegionNodes> regions = new LinkedHashMap<>();
  private final String home;

  public Topology(Map<String, List<URI>> nodes, String home) {
    nodes.forEach((region, urls) -> regions.put(region, new RegionNodes(region, urls)));
    this.home = home;
  }

  /** The region's nodes, if the router knows the region. */
  public Optional<RegionNodes> region(String code) {
    return Optional.ofNullable(regions.get(code));
  }

  /** Whether the router has nodes for the region. */
  public boolean knows(String code) {
    return regions.containsKey(code);
  }

  /** The region of the public routes that belong to no tenant. */
  public String home() {
    return home;
  }

  /** Every node of every region. */
  public List<Node> allNodes() {
    return regions.values().stream().flatMap(r -> r.nodes().stream()).toList();
  }

  /** The router's own health: up while it runs, each region's node counts, "degraded" if a region has none up. */
  public JsonObject toJson() {
    JsonObject out = new JsonObject();
    boolean everyRegionServed = true;
    for (RegionNodes region : regions.values()) {
      out.put(region.region(), region.toJson());
      everyRegionServed &= region.healthy() > 0;
    }
    return new JsonObject().put("status", everyRegionServed ? "up" : "degraded").put("regions", out);
  }
}
