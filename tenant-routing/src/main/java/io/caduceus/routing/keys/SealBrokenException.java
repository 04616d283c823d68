package io.caduceus.routing.keys;

/** Sealed bytes that do not open: altered, moved to another row or tenant, or sealed under a destroyed key. */
public final class SealBrokenException extends RuntimeException {

  public SealBrokenException() {
    super("sealed value cannot be opened", null, false, false);
  }
}
