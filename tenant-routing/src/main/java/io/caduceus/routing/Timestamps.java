package io.caduceus.routing;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The one conversion from {@link Instant} to what the reactive client binds to {@code timestamptz}. */
public final class Timestamps {

  private Timestamps() {
  }

  /** The instant at UTC, or null for null. */
  public static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
