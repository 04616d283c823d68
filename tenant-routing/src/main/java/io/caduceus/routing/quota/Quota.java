package io.caduceus.routing.quota;

/** An allowance: {@code perSecond} cost units refilled each second, up to {@code burst} at once. */
public record Quota(double perSecond, int burst) {

  public Quota {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("a quota needs a positive rate and a burst of at least 1");
    }
  }
}
