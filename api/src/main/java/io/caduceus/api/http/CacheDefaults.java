package io.caduceus.api.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * What caches may keep, decided in one place: an answer that does not say otherwise is {@code no-store}. Every
 * {@code /v1} answer may carry PHI, tokens or a tenant's settings, so none of it is kept by a browser or a proxy;
 * the public resources that may be cached (the docs viewer's files, the signing keys, the contract) say so
 * themselves, and vary by {@code Accept-Encoding} since they may be compressed.
 */
public final class CacheDefaults implements PlatformHandler {

  static final String NO_STORE = "no-store";

  @Override
  public void handle(RoutingContext rc) {
    rc.addHeadersEndHandler(v -> {
      MultiMap headers = rc.response().headers();
      if (!headers.contains(HttpHeaders.CACHE_CONTROL)) {
        headers.set(HttpHeaders.CACHE_CONTROL, NO_STORE);
      } else if (!headers.get(HttpHeaders.CACHE_CONTROL).contains(NO_STORE)) {
        headers.add(HttpHeaders.VARY, "Accept-Encoding");
      }
    });
    rc.next();
  }
}
