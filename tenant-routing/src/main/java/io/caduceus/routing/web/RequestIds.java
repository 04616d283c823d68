package io.caduceus.routing.web;

import io.caduceus.routing.UuidV7;

import java.util.regex.Pattern;

/**
 * The one rule for a request's id, on the nodes and the region router alike: the caller's {@code X-Request-Id}
 * when it is well-formed, else a new one. The router forwards the id it settled on, so one id names the request in
 * the router's and the node's logs.
 */
public final class RequestIds {

  /** The header that carries the id, in and out. */
  public static final String HEADER = "X-Request-Id";
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._-]{8,64}");

  private RequestIds() {
  }

  /** The id of a request that sent {@code given} (null when it sent none). */
  public static String accept(String given) {
    return given != null && ACCEPTED.matcher(given).matches() ? given : UuidV7.next().toString();
  }
}
