package io.caduceus.routing.router;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API nodes of one region. Requests are spread round-robin over the nodes that are up; a request that must
 * move on after a failure gets the next node up that it has not tried. There is never a node of another region
 * here, so nothing built on this can fail over across regions.
 */
public final class RegionNodes {

  private final String region;
  private final List<Node> nodes;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicLong retries = new AtomicLong();

  RegionNodes(String region, List<URI> urls) {
    this.region = region;
    this.nodes = urls.stream().map(url -> new Node(region, url)).toList();
  }

  /** The region's code. */
  public String region() {
    return region;
  }

  /** Every node of the region, up or down. */
  public List<Node> nodes() {
    return nodes;
  }

  /** The next node that is up and not in {@code tried}, or null when there is none. */
  public Node pick(Set<Node> tried) {
    int start = Math.floorMod(next.getAndIncrement(), nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get((start + i) % nodes.size());
      if (node.isUp() && !tried.contains(node)) {
        return node;
      }
    }
    return null;
  }

  /** The failure when the region has no node left to try: a 503 with Retry-After, never another region. */
  EdgeFailure noneLeft() {
    return EdgeFailure.unavailable("no node of the tenant's region is available; retry shortly");
  }

  /** Counts a request that moved on to another node of the region after a failure. */
  void countRetry() {
    retries.incrementAndGet();
  }

  /** How many nodes are up. */
  public int healthy() {
    return (int) nodes.stream().filter(Node::isUp).count();
  }

  /** The region's state for the router's health endpoint: counts only, no addresses. */
  JsonObject toJson() {
    return new JsonObject().put("nodes", nodes.size()).put("healthy", healthy()).put("retries", retries.get());
  }
}
