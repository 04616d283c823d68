package io.caduceus.notifications.engage;

import java.util.Set;
import java.util.UUID;

/**
 * The topics whose messages wait, for now, instead of going out: a tenant's module that is off holds the messages it
 * made (issue 16). The dispatcher asks once per tenant and cycle, so an answer comes from memory, never from I/O. A
 * held message is not claimed: it stays queued as it was, spending no attempt and writing nothing, and goes out in the
 * first cycle after its hold ends, unless its own time ({@code expiresAt}) has passed by then.
 */
@FunctionalInterface
public interface TopicHolds {

  /** Holds nothing. */
  TopicHolds NONE = tenant -> Set.of();

  /** The topics whose messages wait now for this tenant. */
  Set<Topic> held(UUID tenant);
}
