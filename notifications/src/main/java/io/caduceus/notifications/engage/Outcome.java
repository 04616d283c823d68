package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Receipt;

import java.time.Instant;
import java.util.List;

/** How a send ended, as the recorder writes it. Every reason is PHI-free. */
sealed interface Outcome {

  /** The attempt the outcome belongs to. */
  Attempt attempt();

  /** The provider accepted it ({@code reconciled}: a send a crashed dispatcher made, found at the provider). */
  record Sent(Attempt attempt, Receipt receipt, boolean reconciled, List<String> goneTokens) implements Outcome {
  }

  /** A retryable failure: try again after backoff, or give up into the dead letters. */
  record Retry(Attempt attempt, String reason, List<String> goneTokens) implements Outcome {
  }

  /** The address is gone for good on this channel: fall back to the next channel. */
  record Gone(Attempt attempt, String reason, List<String> goneTokens) implements Outcome {
  }

  /** The send can never succeed as configured (bad credentials, bad sender). */
  record Failed(Attempt attempt, String reason) implements Outcome {
  }

  /** The provider account's rate limit says wait; nothing was sent. */
  record Throttled(Attempt attempt, Instant until) implements Outcome {
  }
}
