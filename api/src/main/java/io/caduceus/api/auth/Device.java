package io.caduceus.api.auth;

import io.vertx.ext.web.RoutingContext;

/**
 * The device a session is opened from, as the user's list of sessions names it: the request's User-Agent, with
 * control characters dropped (PostgreSQL cannot store a NUL) and cut to 200 characters. Null when none was sent.
 */
public final class Device {

  /** The longest device name kept. */
  public static final int MAX_LENGTH = 200;

  private Device() {
  }

  /** The device of the request. */
  public static String of(RoutingContext rc) {
    return of(rc.request().getHeader("User-Agent"));
  }

  /** The device a User-Agent names. */
  static String of(String userAgent) {
    if (userAgent == null) {
      return null;
    }
    StringBuilder kept = new StringBuilder();
    userAgent.codePoints().filter(c -> c >= 0x20 && c != 0x7f && (c < 0xD800 || c > 0xDFFF)
            && Character.isDefined(c))
        .limit(MAX_LENGTH).forEach(kept::appendCodePoint);
    String device = kept.toString().strip();
    return device.isEmpty() ? null : device;
  }
}
