package io.caduceus.routing;

import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UuidV7Test {

  /** The order PostgreSQL gives uuid values: their 16 bytes, compared unsigned. */
  private static int asPostgresOrders(UUID a, UUID b) {
    int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }

  @Test
  void idsMadeOnOneThreadSortInTheOrderTheyWereMadeEvenWithinOneMillisecond() {
    UUID previous = UuidV7.next();
    for (int i = 0; i < 50_000; i++) {
      UUID next = UuidV7.next();
      assertThat(asPostgresOrders(previous, next)).as("id %d follows the one before it", i).isNegative();
      previous = next;
    }
  }

  @Test
  void carriesVersionSevenTheRfcVariantAndTheCurrentTime() {
    long before = System.currentTimeMillis();
    UUID id = UuidV7.next();
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    long millis = id.getMostSignificantBits() >>> 16;
    // A thread that ran through a millisecond's counter borrows the next one, so it may run slightly ahead.
    assertThat(millis).isBetween(before, System.currentTimeMillis() + 1_000);
  }
}
