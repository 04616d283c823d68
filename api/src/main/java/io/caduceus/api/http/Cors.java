package io.caduceus.api.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;

import java.util.Optional;
import java.util.TreeSet;

/**
 * Cross-origin resource sharing for browsers (the patient web app, the admin consoles). A preflight from an allowed
 * origin is answered here, before authentication (browsers send no token with it), with the path's methods and the
 * request headers the API reads. Every other answer to an allowed origin names that origin (never {@code *}) and
 * exposes the headers a client acts on. A disallowed origin gets no CORS headers at all, so its browser keeps the
 * response from the page. Every answer says {@code Vary: Origin}, so no cache serves one origin's answer to another.
 */
public final class Cors implements SecurityPolicyHandler {

  /** The request headers a browser may send: what the API reads beyond the CORS-safelisted ones. */
  static final String ALLOWED_HEADERS = "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, "
      + "X-Request-Id";
  /** The response headers a page may read: concurrency, creation, quotas, retries, replay and the request id. */
  public static final String EXPOSED_HEADERS = "ETag, Location, RateLimit, RateLimit-Policy, Retry-After, "
      + "Idempotent-Replayed, X-Request-Id, WWW-Authenticate, Allow, Content-Disposition";
  /** Ten minutes: browsers cap it anyway (Chromium at two hours), and a policy change reaches them soon. */
  static final String MAX_AGE_SECONDS = "600";

  private final WebOrigins origins;
  private final ContractRoutes routes;

  public Cors(WebOrigins origins, ContractRoutes routes) {
    this.origins = origins;
    this.routes = routes;
  }

  @Override
  public void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    rc.response().headers().add(HttpHeaders.VARY, "Origin");
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin == null) {
      rc.next();
    } else if (request.method() == HttpMethod.OPTIONS
        && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null) {
      preflight(rc, origin);
    } else {
      // Decided when the headers go out: by then the tenant of the token is known, and its own origins count.
      rc.addHeadersEndHandler(v -> {
        if (origins.allows(origin, rc.get(Requests.TENANT))) {
          allow(rc.response().headers(), origin);
          rc.response().putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
        }
      });
      rc.next();
    }
  }

  /** Answers a preflight for a path of the contract from an origin some tenant or the deployment allows. */
  private void preflight(RoutingContext rc, String origin) {
    Optional<ContractRoutes.Route> route = routes.find(rc.request().path());
    if (route.isEmpty() || !origins.allowsAnywhere(origin)) {
      rc.next(); // answered without CORS headers (OPTIONS with Allow, or 404): the browser refuses the call
      return;
    }
    MultiMap headers = rc.response().headers();
    allow(headers, origin);
    headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, String.join(", ",
        new TreeSet<>(route.get().operations().keySet().stream().map(HttpMethod::name).toList())));
    headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
    headers.set(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS);
    rc.response().setStatusCode(204).end();
  }

  private void allow(MultiMap headers, String origin) {
    headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    if (origins.allowCredentials()) {
      headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
  }
}
