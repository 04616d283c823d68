package io.caduceus.routing.router;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/** Which region's nodes a request goes to, from its method, path, {@code Authorization} header and body. */
@FunctionalInterface
interface RequestRegions {

  /** The region of the request; a failure is answered as a problem document. */
  Future<RegionNodes> regionOf(HttpMethod method, String path, String authorization, Buffer body);
}
