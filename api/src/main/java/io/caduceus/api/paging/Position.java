package io.caduceus.api.paging;

import java.time.Instant;
import java.util.UUID;

/** Where the next page of a listing ordered by a time and then an id starts: after {@code at} and {@code id}. */
public record Position(Instant at, UUID id) {

  /** The first page: no item comes before it. */
  public static final Position START = new Position(null, null);
}
