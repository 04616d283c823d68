package io.caduceus.routing.router;

import io.caduceus.routing.TenantId;
import io.caduceus.routing.web.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetSocket;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Carries a live-events WebSocket ({@code GET /v1/live}) to a node of its tenant's region, as a byte tunnel once the
 * node has accepted the upgrade. The region comes from the upgrade's bearer token (verified here as for any request),
 * or, for a browser that authenticates in its first frame (it cannot set headers on a WebSocket), from the
 * {@code tenant} query parameter, a tenant id and no secret; with neither, the home region. The node authenticates
 * the socket itself and refuses a tenant of a region it does not serve, so a wrong {@code tenant} only reaches a
 * refusal. A node that cannot be connected to is marked down and the next node of the region is tried; once the
 * upgrade is sent, a failure ends the socket, and the client reconnects (the socket's reconnect rule).
 */
final class LiveTunnel {

  static final String PATH = "/v1/live";

  private final HttpClient client;
  private final RegionResolver resolver;
  private final RouterConfig config;

  LiveTunnel(HttpClient client, RegionResolver resolver, RouterConfig config) {
    this.client = client;
    this.resolver = resolver;
    this.config = config;
  }

  /** Whether the request is a live socket's upgrade, which this tunnel carries. */
  static boolean handles(HttpServerRequest request) {
    return PATH.equals(request.path()) && request.method() == HttpMethod.GET
        && "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
  }

  void handle(HttpServerRequest request) {
    request.pause();
    region(request)
        .compose(region -> upgrade(request, region, new HashSet<>()))
        .onFailure(failure -> {
          request.resume();
          EdgeProblems.of(failure, PATH, request.getHeader(RequestIds.HEADER), config.retryAfterSeconds())
              .send(request);
        });
  }

  private Future<RegionNodes> region(HttpServerRequest request) {
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null) {
      return resolver.regionOf(HttpMethod.GET, PATH, authorization, Buffer.buffer());
    }
    String tenant = request.getParam("tenant");
    if (tenant == null) {
      return resolver.nodes(config.home());
    }
    try {
      return resolver.regionOfTenant(TenantId.parse(tenant));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(EdgeFailure.notFound("no such tenant"));
    }
  }

  /** Sends the upgrade to a node of {@code region}, the next one when a node cannot be connected to. */
  private Future<Void> upgrade(HttpServerRequest request, RegionNodes region, Set<Node> tried) {
    Node node = region.pick(tried);
    if (node == null) {
      return Future.failedFuture(region.noneLeft());
    }
    tried.add(node);
    // No idle timeout of the router's own: a socket may be quiet for long (a waiting room without news); the
    // server connection's idle timeout still ends one that stays silent, and the client's ping keeps it open.
    return client.request(node.requestOptions(config.connectTimeout(), Duration.ZERO))
        .recover(failure -> {
          node.markDown("connection failed (" + failure.getClass().getSimpleName() + ")");
          region.countRetry();
          return Future.failedFuture(new NodeUnreachable(failure));
        })
        .compose(upgrade -> {
          upgrade.setMethod(HttpMethod.GET).setURI(request.uri());
          upgrade.headers().addAll(request.headers());
          String prior = request.getHeader("X-Forwarded-For");
          if (request.remoteAddress() != null) {
            String from = request.remoteAddress().hostAddress();
            upgrade.putHeader("X-Forwarded-For", prior == null ? from : prior + ", " + from);
          }
          return upgrade.connect();
        })
        .compose(answer -> answer.statusCode() == 101 ? tunnel(request, answer) : relay(request, answer),
            failure -> failure instanceof NodeUnreachable ? upgrade(request, region, tried)
                : Future.failedFuture(failure));
  }

  /** The node accepted: the client's connection and the node's are joined byte for byte until either closes. */
  private static Future<Void> tunnel(HttpServerRequest request, HttpClientResponse accepted) {
    request.response().headers().addAll(accepted.headers());
    NetSocket toNode = accepted.netSocket();
    return request.toNetSocket().map(toClient -> {
      toClient.handler(toNode::write);
      toNode.handler(toClient::write);
      toClient.closeHandler(v -> toNode.close());
      toNode.closeHandler(v -> toClient.close());
      toClient.exceptionHandler(failure -> toNode.close());
      toNode.exceptionHandler(failure -> toClient.close());
      return null;
    });
  }

  /** The node refused the upgrade (403 for an origin, 401, 426, ...): its answer goes back as it is. */
  private static Future<Void> relay(HttpServerRequest request, HttpClientResponse refused) {
    return refused.body().compose(body -> {
      request.resume();
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(refused.headers());
      headers.remove(HttpHeaders.TRANSFER_ENCODING);
      headers.set(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
      request.response().setStatusCode(refused.statusCode()).headers().addAll(headers);
      return request.response().end(body);
    });
  }
}
