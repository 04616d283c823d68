package io.caduceus.routing.web;

import io.caduceus.routing.TenantContext;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Cross-origin resource sharing for browsers (the patient web app, the admin consoles). A preflight from an allowed
 * origin is answered here, before authentication (browsers send no token with it), with the path's methods and the
 * request headers the API reads. Every other answer to an allowed origin names that origin (never {@code *}) and
 * exposes the headers a client acts on. A disallowed origin gets no CORS headers at all, so its browser keeps the
 * response from the page. Every answer says {@code Vary: Origin}, so no cache serves one origin's answer to another.
 * The nodes mount it; the region router applies the same rule to its own answers ({@link #allowReading}).
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

  /** The methods the API answers at a request path; empty when no operation has the path. */
  @FunctionalInterface
  public interface PathMethods {

    /** The path's methods, or empty for a path the API does not serve. */
    Optional<Set<HttpMethod>> of(String path);
  }

  private final WebOrigins origins;
  private final PathMethods paths;
  private final Function<RoutingContext, TenantContext> tenantOf;

  /**
   * A handler for the API's {@code paths}; {@code tenantOf} gives the request's tenant once known (from its
   * token), or null.
   */
  public Cors(WebOrigins origins, PathMethods paths, Function<RoutingContext, TenantContext> tenantOf) {
    this.origins = origins;
    this.paths = paths;
    this.tenantOf = tenantOf;
  }

  /**
   * Lets the page of an allowed {@code origin} read an answer: names the origin, allows credentials if the
   * deployment does, and exposes the headers a client acts on.
   */
  public static void allowReading(MultiMap headers, String origin, WebOrigins origins) {
    allow(headers, origin, origins);
    headers.set(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
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
        if (origins.allows(origin, tenantOf.apply(rc))) {
          allowReading(rc.response().headers(), origin, origins);
        }
      });
      rc.next();
    }
  }

  /** Answers a preflight for a path of the contract from an origin some tenant or the deployment allows. */
  private void preflight(RoutingContext rc, String origin) {
    Optional<Set<HttpMethod>> methods = paths.of(rc.request().path());
    if (methods.isEmpty() || !origins.allowsAnywhere(origin)) {
      rc.next(); // answered without CORS headers (OPTIONS with Allow, or 404): the browser refuses the call
      return;
    }
    MultiMap headers = rc.response().headers();
    allow(headers, origin, origins);
    headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, String.join(", ",
        new TreeSet<>(methods.get().stream().map(HttpMethod::name).toList())));
    headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
    headers.set(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS);
    rc.response().setStatusCode(204).end();
  }

  private static void allow(MultiMap headers, String origin, WebOrigins origins) {
    headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    if (origins.allowCredentials()) {
      headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
  }
}
