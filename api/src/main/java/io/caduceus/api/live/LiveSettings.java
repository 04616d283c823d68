package io.caduceus.api.live;

import java.time.Duration;

/**
 * The limits of a live socket.
 *
 * @param authTimeout      how long a socket may stay unauthenticated after connecting
 * @param recheck          how often a socket's session and tenant are checked again when nothing is pushed
 * @param maxFrameChars    the largest client frame read (larger ones get an error frame)
 * @param maxSubscriptions subscriptions one socket may hold
 * @param sendsPerSecond   chat messages a socket may send per second (a burst of twice that)
 */
public record LiveSettings(Duration authTimeout, Duration recheck, int maxFrameChars, int maxSubscriptions,
                           int sendsPerSecond) {

  /** The limits the README documents. */
  public static final LiveSettings DEFAULTS = new LiveSettings(Duration.ofSeconds(10), Duration.ofSeconds(30),
      16 * 1024, 32, 5);
}
