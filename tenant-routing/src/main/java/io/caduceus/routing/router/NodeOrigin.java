package io.caduceus.routing.router;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;

import java.time.Duration;

/**
 * Opens the proxy's request to the node {@link Failover} chose for this attempt. A connection that cannot be had
 * marks the node down and fails with {@link NodeUnreachable}: nothing was sent, so any request may move on.
 */
final class NodeOrigin implements OriginRequestProvider {

  static final String NODE = "caduceus.node";

  private final Duration connectTimeout;
  private final Duration idleTimeout;

  NodeOrigin(Duration connectTimeout, Duration idleTimeout) {
    this.connectTimeout = connectTimeout;
    this.idleTimeout = idleTimeout;
  }

  @Override
  public Future<HttpClientRequest> create(ProxyContext context) {
    Node node = context.get(NODE, Node.class);
    return context.client().request(node.requestOptions(connectTimeout, idleTimeout))
        .recover(failure -> {
          node.markDown("connection failed (" + failure.getClass().getSimpleName() + ")");
          return Future.failedFuture(new NodeUnreachable(failure));
        });
  }
}
