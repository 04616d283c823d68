package io.caduceus.routing.router;

import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One API node of a region, as the router sees it: where it listens and whether it is taking requests. A node
 * goes down at once when a connection or a request to it fails, or after several health checks in a row fail (one
 * slow answer from a busy node is not a dead node), and comes back only on a passing health check. Shared by every
 * router event loop, so its state is atomic.
 */
public final class Node {

  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final String region;
  private final URI url;
  private final AtomicBoolean up = new AtomicBoolean(false);
  private final AtomicInteger failedChecks = new AtomicInteger();

  Node(String region, URI url) {
    this.region = region;
    this.url = url;
  }

  /** The region the node serves. */
  public String region() {
    return region;
  }

  /** Whether the node is taking requests. */
  public boolean isUp() {
    return up.get();
  }

  /** Marks the node up after a passing health check; logs the change. */
  void markUp() {
    if (up.compareAndSet(false, true)) {
      LOG.info("node {} of region {} is up", url, region);
    }
  }

  /** A health check passed: the node is up, and its run of failed checks starts over. */
  void checkPassed() {
    failedChecks.set(0);
    markUp();
  }

  /** A health check failed: the node goes down once {@code limit} checks in a row have failed. */
  void checkFailed(String why, int limit) {
    int inARow = failedChecks.incrementAndGet();
    if (inARow >= limit) {
      markDown("health check: " + why + " (" + inARow + " in a row)");
    }
  }

  /** Marks the node down, naming why (an exception class or a status, never request content); logs the change. */
  void markDown(String why) {
    if (up.compareAndSet(true, false)) {
      LOG.warn("node {} of region {} is down: {}", url, region, why);
    }
  }

  /** Options for a request to this node; the caller sets the method and URI. */
  RequestOptions requestOptions(Duration connectTimeout, Duration idleTimeout) {
    return new RequestOptions()
        .setHost(url.getHost())
        .setPort(url.getPort())
        .setConnectTimeout(connectTimeout.toMillis())
        .setIdleTimeout(idleTimeout.toMillis());
  }

  @Override
  public String toString() {
    return url.toString();
  }
}
