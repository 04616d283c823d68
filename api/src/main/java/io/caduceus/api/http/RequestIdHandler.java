package io.caduceus.api.http;

import io.caduceus.routing.web.RequestIds;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.RoutingContext;

/** Gives every request an id by the rule of {@link RequestIds}, and names it in the answer. */
public final class RequestIdHandler implements PlatformHandler {

  @Override
  public void handle(RoutingContext rc) {
    String id = RequestIds.accept(rc.request().getHeader(RequestIds.HEADER));
    rc.put(Requests.REQUEST_ID, id);
    rc.response().putHeader(RequestIds.HEADER, id);
    rc.next();
  }
}
