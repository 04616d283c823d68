package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Channel;

import java.time.Instant;
import java.time.ZoneId;

/** What the delivery rules say to do with a due message now. Reasons are PHI-free and shown in its history. */
public sealed interface Decision {

  /** Send over {@code channel}; render in {@code locale} and {@code zone}. */
  record Send(Channel channel, boolean critical, String locale, ZoneId zone) implements Decision {
  }

  /** Wait until {@code until}: quiet hours or the daily cap. */
  record Defer(Instant until, String reason) implements Decision {
  }

  /** Do not send: opted out, or no way to reach the recipient. */
  record Suppress(String reason) implements Decision {
  }

  /** Too late to be useful (an appointment reminder after the appointment). */
  record Expire(String reason) implements Decision {
  }

  /** Every usable channel failed for good. */
  record Fail(String reason) implements Decision {
  }
}
