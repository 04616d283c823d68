package io.caduceus.routing.router;

import io.caduceus.routing.web.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.MediaType;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

import java.util.HashSet;
import java.util.Set;

/**
 * The proxy's interceptor: reads the request body (up to the limit, so a request can be sent again), finds the
 * request's region, and sends it to a node of that region, moving on to the region's next node that is up when:
 * <ul>
 *   <li>no connection to the node could be had: nothing was sent, so any request moves on;</li>
 *   <li>the node failed after the request was sent (connection reset or closed, timeout) and the method is
 *       idempotent (GET, HEAD, OPTIONS, PUT, DELETE): repeating it is harmless. Any other request answers 502,
 *       since it may have taken effect; the client can retry it with an Idempotency-Key.</li>
 * </ul>
 * A failed node is marked down until a health check passes. When the region has no node left to try, the answer
 * is 503 with Retry-After. A node's own answer, whatever its status, is passed on as it is.
 */
final class Failover implements ProxyInterceptor {

  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
      HttpMethod.PUT, HttpMethod.DELETE);
  private static final MediaType PROBLEM = MediaType.parse(EdgeProblems.PROBLEM_JSON);

  private final RequestRegions regions;
  private final int bodyLimit;
  private final long retryAfterSeconds;

  Failover(RequestRegions regions, int bodyLimit, long retryAfterSeconds) {
    this.regions = regions;
    this.bodyLimit = bodyLimit;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  @Override
  public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
    ProxyRequest request = context.request();
    HttpServerRequest incoming = request.proxiedRequest();
    forwardedFor(request, incoming);
    return read(request.getBody())
        .compose(body -> regions.regionOf(incoming.method(), incoming.path(),
            request.headers().get(HttpHeaders.AUTHORIZATION), body)
            .compose(region -> attempt(context, region, body, new HashSet<>())))
        .recover(failure -> Future.succeededFuture(problem(request, failure)));
  }

  private Future<ProxyResponse> attempt(ProxyContext context, RegionNodes region, Buffer body, Set<Node> tried) {
    Node node = region.pick(tried);
    if (node == null) {
      return Future.failedFuture(region.noneLeft());
    }
    tried.add(node);
    context.set(NodeOrigin.NODE, node);
    context.request().setBody(body.length() == 0 ? null : Body.body(body));
    return context.sendRequest().recover(failure -> {
      if (context.request().proxiedRequest().response().closed()) {
        return Future.failedFuture(failure); // the client went away: nothing to answer, and the node is not at fault
      }
      if (!(failure instanceof NodeUnreachable)) {
        node.markDown("request failed (" + failure.getClass().getSimpleName() + ")");
        if (!IDEMPOTENT.contains(context.request().getMethod())) {
          return Future.failedFuture(EdgeFailure.lostInFlight());
        }
      }
      region.countRetry();
      return attempt(context, region, body, tried);
    });
  }

  /** The whole body, or {@link EdgeFailure#bodyTooLarge()} past the limit. */
  private Future<Buffer> read(Body body) {
    if (body == null) {
      return Future.succeededFuture(Buffer.buffer());
    }
    if (body.length() > bodyLimit) {
      return Future.failedFuture(EdgeFailure.bodyTooLarge());
    }
    Promise<Buffer> done = Promise.promise();
    Buffer collected = Buffer.buffer();
    ReadStream<Buffer> stream = body.stream();
    stream.handler(chunk -> {
      if (collected.length() + chunk.length() > bodyLimit) {
        done.tryFail(EdgeFailure.bodyTooLarge());
      } else if (!done.future().isComplete()) {
        collected.appendBuffer(chunk);
      }
    });
    stream.exceptionHandler(done::tryFail);
    stream.endHandler(v -> done.tryComplete(collected));
    stream.resume();
    return done.future();
  }

  // Informational only: nodes trust no header, so this helps an operator read a node's log, nothing more.
  private static void forwardedFor(ProxyRequest request, HttpServerRequest incoming) {
    if (incoming.remoteAddress() != null) {
      String prior = request.headers().get("X-Forwarded-For");
      String client = incoming.remoteAddress().hostAddress();
      request.putHeader("X-Forwarded-For", prior == null ? client : prior + ", " + client);
    }
  }

  private ProxyResponse problem(ProxyRequest request, Throwable failure) {
    EdgeAnswer problem = EdgeProblems.of(failure, request.proxiedRequest().path(),
        request.headers().get(RequestIds.HEADER), retryAfterSeconds);
    // The body was read (or abandoned) here: release() would resume a request that has ended, which throws.
    ProxyResponse response = request.setBody(null).response().setStatusCode(problem.status());
    problem.headers().forEach(response::putHeader);
    return response.setBody(Body.body(problem.body(), PROBLEM));
  }
}
