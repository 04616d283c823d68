package io.caduceus.api.paging;

import java.time.Instant;

/**
 * Which versions of one record a history page asks for, newest first: those below {@code below}, written at or after
 * {@code since} (null: any time), at most {@code limit} of them.
 */
public record VersionRange(int below, Instant since, int limit) {

  /** Only the version {@code version} (when it exists, the one item of the answer). */
  public static VersionRange exactly(int version) {
    return new VersionRange(version == Integer.MAX_VALUE ? version : version + 1, null, 1);
  }

  /** The newest {@code limit} versions below {@code below} (null: from the current one), since {@code since}. */
  public static VersionRange page(Integer below, Instant since, int limit) {
    return new VersionRange(below == null ? Integer.MAX_VALUE : below, since, limit);
  }
}
