package io.caduceus.api.boot;

import java.time.Instant;

import static io.caduceus.routing.testing.Await.await;

/** Drives the node's Bulk Data export sweep from a test, as if its tick came at {@code now}. */
public final class BulkSweep {

  private BulkSweep() {
  }

  /** Runs one sweep at {@code now}; answers how many tenants had work. */
  public static int at(Instant now) {
    return await(TestPlatform.get().app().assembly().bulk.exports.sweep(now));
  }
}
