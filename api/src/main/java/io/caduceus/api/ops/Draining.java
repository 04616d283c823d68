package io.caduceus.api.ops;

/**
 * Whether this node is stopping. From the moment it starts to stop, readiness answers 503, so a load balancer or
 * the region router sends it nothing new while it finishes what it holds.
 */
public final class Draining {

  private volatile boolean stopping;

  /** Marks the node as stopping; there is no way back. */
  public void begin() {
    stopping = true;
  }

  /** Whether the node is stopping. */
  public boolean stopping() {
    return stopping;
  }
}
