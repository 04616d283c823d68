package io.caduceus.api.http;

import io.caduceus.routing.UuidV7;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.RoutingContext;

import java.util.regex.Pattern;

/** Gives every request an id: the caller's {@code X-Request-Id} when it is well-formed, else a new one. */
public final class RequestIds implements PlatformHandler {

  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._-]{8,64}");

  @Override
  public void handle(RoutingContext rc) {
    String given = rc.request().getHeader("X-Request-Id");
    String id = given != null && ACCEPTED.matcher(given).matches() ? given : UuidV7.next().toString();
    rc.put(Requests.REQUEST_ID, id);
    rc.response().putHeader("X-Request-Id", id);
    rc.next();
  }
}
