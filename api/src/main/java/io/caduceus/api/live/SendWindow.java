package io.caduceus.api.live;

/**
 * A token bucket for one socket's chat sends: {@code perSecond} refill, a burst of twice that. Confined to the
 * socket's event loop.
 */
final class SendWindow {

  private final double perSecond;
  private final double burst;
  private double tokens;
  private long lastNanos = System.nanoTime();

  SendWindow(int perSecond) {
    this.perSecond = perSecond;
    this.burst = perSecond * 2.0;
    this.tokens = burst;
  }

  /** Takes one send; false when the socket has sent too many too fast. */
  boolean take() {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * perSecond);
    lastNanos = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
