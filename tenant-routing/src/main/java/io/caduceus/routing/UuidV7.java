package io.caduceus.routing;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Time-ordered UUIDs (RFC 9562 version 7), so new rows land at the right edge of their indexes. The random bits
 * come from a per-thread {@link SecureRandom}, so ids stay unguessable without every event loop contending for
 * one generator's lock.
 *
 * <p>Ids made on one thread are strictly increasing, even within a millisecond (RFC 9562, section 6.2, method 1):
 * the 12 {@code rand_a} bits act as a counter seeded randomly at each new millisecond, and a counter that runs out
 * borrows the next millisecond. So rows written in one batch sort back in the order they were written.
 */
public final class UuidV7 {

  private static final int COUNTER_BITS = 12;
  private static final int COUNTER_MAX = (1 << COUNTER_BITS) - 1;
  /** A fresh millisecond seeds the counter below half its range, leaving room for at least 2,048 more ids. */
  private static final int SEED_RANGE = 1 << (COUNTER_BITS - 1);

  private static final ThreadLocal<Clock> CLOCK = ThreadLocal.withInitial(Clock::new);

  private UuidV7() {
  }

  /** A new version-7 UUID for the current time, greater than every id made before it on this thread. */
  public static UUID next() {
    Clock clock = CLOCK.get();
    clock.tick(System.currentTimeMillis());
    long msb = (clock.millis << 16) | (0x7L << 12) | clock.counter;
    long lsb = (clock.random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  /** One thread's last timestamp and counter. */
  private static final class Clock {
    final SecureRandom random = new SecureRandom();
    long millis = -1;
    int counter;

    void tick(long now) {
      if (now > millis) {
        millis = now;
        counter = random.nextInt(SEED_RANGE);
      } else if (counter < COUNTER_MAX) {
        counter++;
      } else {
        millis++;
        counter = random.nextInt(SEED_RANGE);
      }
    }
  }
}
